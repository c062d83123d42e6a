"""Two small synthetic reports (invented places and figures) for the answering tests, built into a
real corpus, fact table (extracted, unreviewed) and FAISS index with the fake embedder."""

from __future__ import annotations

from pathlib import Path

from qa.engine import Engine
from qa.facts import dump_facts, propose_facts
from qa.ingest import load_document
from qa.settings import Settings

REPORT_A = """政府工作报告

——2020年1月10日在石桥县第五届人民代表大会第三次会议上

石桥县人民政府县长 周明远

一、2019年工作回顾

过去一年，全县经济稳中有进。预计全年完成地区生产总值86.4亿元，同比增长6.2%；一般公共预算收入5.8亿元，下降3.1%；固定资产投资41.2亿元，增长9.5%。城镇居民人均可支配收入30215元，增长7.1%；农村居民人均可支配收入15230元，增长8.3%。
新增规模以上工业企业12家，总数达到96家。全年接待游客320万人次。
一是推进产业升级；二是加强生态保护；三是改善民生福祉。

二、2020年工作安排

今年全县经济社会发展的主要预期目标是：地区生产总值增长6.5%左右；一般公共预算收入增长5%以上；固定资产投资增长10%。
力争引进亿元以上项目8个以上，新增城镇就业3000人。
"""

REPORT_B = """政府工作报告

——2022年1月6日在柳港区第三届人民代表大会第一次会议上

柳港区人民政府区长 韩书平

一、2021年工作回顾

一年来，全区地区生产总值达到412.7亿元，增长7.8%；社会消费品零售总额168.3亿元，增长12.4%；固定资产投资下降2.6%。
城镇居民人均可支配收入52180元，增长6.9%。新增上市企业2家，上市企业总数达到11家。
一是稳住经济大盘；二是深化改革开放；三是保障改善民生。

二、2022年工作安排

今年全区经济社会发展的主要预期目标是：地区生产总值增长7%左右；社会消费品零售总额增长10%；固定资产投资增长6%。
力争新增上市企业3家以上，新增城镇就业8000人。
"""

REPORTS = {"shiqiao-2020-work-report": REPORT_A, "liugang-2022-work-report": REPORT_B}


def build(tmp: Path, names=tuple(REPORTS), embedder=None, reports=None) -> Engine:
    """An engine over these reports (`reports`: {doc_id: text}, default the two above), fact rows extracted."""
    reports = reports or {name: REPORTS[name] for name in names}
    corpus = tmp / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, text in reports.items():
        path = corpus / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        (corpus / f"{name}.facts.jsonl").write_text(dump_facts(propose_facts(load_document(path))), encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp / "index", model="fake-hash")
    return Engine.load(settings, embedder=embedder)
