#!/usr/bin/env python3
"""Writes crawled-issue files exactly as the existing Python crawler does.

The crawler builds a dict whose scraped fields all start as "" and are filled only when their
pattern matches, adds url and crawled_at (datetime.now().isoformat()), and writes
    json.dump(issue_data, f, ensure_ascii=False, indent=2)
into <issue_id>_<YYYYmmdd_HHMMSS>.json. This script reproduces that, so the test fixtures next to
it are byte for byte what the crawler writes. Run it again only to change the fixtures:

    python3 write_crawler_files.py            # the fixtures in this folder
    python3 write_crawler_files.py OUT 200    # OUT/OpenFrame_batch_timeout_<ts>/ with 200 issues (a benchmark folder)
"""
import json
import os
import sys


def empty_issue():
    # The crawler's parser initialises every field like this.
    return {
        "issue_id": "", "title": "", "description": "", "product": "", "status": "", "priority": "",
        "created_date": "", "updated_date": "", "reporter": "", "assignee": "", "product_notice": "",
        "comments": [], "history": [], "related_issues": [], "attachments": [],
        "metadata": {key: "" for key in ("category", "version", "build_no", "patch_no", "module", "error_code",
                                         "severity", "project", "customer", "owner", "patch_version", "bug_number")},
    }


def write(folder, issue, stamp):
    os.makedirs(folder, exist_ok=True)
    name = f"{issue['issue_id'] or 'unknown'}_{stamp}.json"
    with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
        json.dump(issue, f, ensure_ascii=False, indent=2)


def korean(issue_id, order, crawled_at):
    issue = empty_issue()
    issue.update({
        "issue_id": issue_id,
        "title": "[OpenFrame Batch] 배치 작업이 TPETIME 타임아웃으로 종료됨",
        "description": "야간 배치 작업이 TPETIME 오류로 종료됩니다.\n고객사: ACME 은행",
        "product": "OpenFrame Batch", "status": "Closed", "priority": "High",
        "created_date": "2024/10/28 09:12:44", "updated_date": "2024/11/01 18:03:10",
        "reporter": "김민수 (minsu.kim@acme.example)", "assignee": "이지은 (jieun.lee@tmax.example)",
        "url": f"https://ims.tmaxsoft.example/tody/ims/issue/issueView.do?issueId={issue_id}",
        "crawled_at": crawled_at, "crawl_order": str(order),
    })
    issue["metadata"].update({"category": "Defect", "version": "7.1", "module": "TJES", "error_code": "TPETIME",
                              "severity": "Major", "customer": "ACME 은행", "patch_version": "7.1.3"})
    issue["comments"] = [
        {"action_no": "2258642", "author": "이지은", "date": "2024/10/28 10:01:02", "content": "TP 타임아웃 값을 600초로 늘렸습니다."},
        {"action_no": "", "author": "김민수", "date": "2024/10/29 08:40:00", "content": "재현되지 않습니다. 감사합니다."},
    ]
    issue["history"] = [
        {"date": "2024/10/28 09:12:44", "user": "김민수", "details": "상태: 접수 → 처리중"},
        {"date": "2024/11/01 18:03:10", "user": "이지은", "details": "Status changed from Assigned to Closed"},
    ]
    issue["related_issues"] = [
        {"issue_no": "347001", "status": "Closed", "product": "OpenFrame", "module": "TJES", "owner": "박", "handler": "이지은", "customer": ""},
    ]
    issue["attachments"] = [
        {"name": "tjes_trace.log", "file_id": "88121", "size": "12.3 KB", "type": "regular",
         "local_path": f"attachments/{issue_id}/tjes_trace.log", "extracted_text": "TPETIME at SVC99 OFCOBOL 배치 타임아웃"},
        {"name": "patch_7.1.3.tar", "file_id": "88122", "size": "", "type": "patch"},
    ]
    return issue


def japanese(issue_id, order, crawled_at):
    issue = empty_issue()
    issue.update({
        "issue_id": issue_id, "title": "ジョブが S0C4 で異常終了する", "description": "バッチジョブが S0C4 で異常終了します。",
        "product": "OpenFrame Batch", "status": "Open", "priority": "",
        "created_date": "2024/10/30 11:00:00", "reporter": "田中 (tanaka@example.jp)",
        "url": f"https://ims.tmaxsoft.example/tody/ims/issue/issueView.do?issueId={issue_id}",
        "crawled_at": crawled_at, "crawl_order": str(order),
    })
    issue["comments"] = [{"action_no": "2259001", "author": "田中", "date": "2024/10/30 12:00:00", "content": "再現しました。"}]
    return issue


def english(issue_id, order, crawled_at):
    issue = empty_issue()
    issue.update({
        "issue_id": issue_id, "title": "Batch job abends with timeout after upgrade", "description": "After the 7.1 upgrade the job times out.",
        "product": "OpenFrame", "status": "Assigned", "priority": "Normal", "created_date": "2024/10/31 14:22:05",
        "updated_date": "", "reporter": "John Smith (john@acme.example)", "assignee": "",
        "product_notice": "Apply patch 7.1.3 before retrying.",
        "url": f"https://ims.tmaxsoft.example/tody/ims/issue/issueView.do?issueId={issue_id}",
        "crawled_at": crawled_at, "crawl_order": str(order),
    })
    issue["metadata"]["severity"] = "Minor"
    issue["history"] = [{"date": "2024/10/31 14:22:05", "user": "John Smith", "details": "Issue registered"}]
    return issue


def unparsed(crawled_at):
    # A page the crawler could not parse: every field stays "", issue_id becomes "unknown".
    issue = empty_issue()
    issue.update({"issue_id": "unknown", "url": "https://ims.tmaxsoft.example/tody/ims/issue/issueView.do?issueId=349999",
                  "crawled_at": crawled_at})
    return issue


def partial(issue_id, crawled_at):
    # The same Korean issue crawled again, but the page came back half loaded: only id, title and status.
    issue = empty_issue()
    issue.update({"issue_id": issue_id, "title": "[OpenFrame Batch] 배치 작업이 TPETIME 타임아웃으로 종료됨",
                  "status": "Closed", "url": f"https://ims.tmaxsoft.example/tody/ims/issue/issueView.do?issueId={issue_id}",
                  "crawled_at": crawled_at, "crawl_order": "1"})
    issue["comments"] = [{"action_no": "", "author": "", "date": "", "content": ""}]
    issue["attachments"] = [{"name": "tjes_trace.log", "file_id": "", "size": "", "type": "regular"}]
    return issue


def fixtures(here):
    session = os.path.join(here, "OpenFrame_batch_timeout_20241102_101500")
    write(session, korean("348001", 1, "2024-11-02T10:15:01.123456"), "20241102_101501")
    write(session, japanese("348002", 2, "2024-11-02T10:15:04.500001"), "20241102_101504")
    write(session, english("348003", 3, "2024-11-02T10:15:07.000042"), "20241102_101507")
    write(session, unparsed("2024-11-02T10:15:09.999999"), "20241102_101509")

    recrawl = os.path.join(here, "OpenFrame_batch_timeout_20241103_090000")
    write(recrawl, partial("348001", "2024-11-03T09:00:02.000001"), "20241103_090002")

    # An older crawler version wrote every crawl into one output directory.
    flat = os.path.join(here, "output")
    write(flat, english("348101", 1, "2024-10-01T08:00:00.000001"), "20241001_080000")
    write(flat, japanese("348102", 1, "2024-10-05T08:00:00.000001"), "20241005_080000")


def benchmark_folder(out, count):
    session = os.path.join(out, "OpenFrame_batch_timeout_20241102_101500")
    makers = (korean, japanese, english)
    for n in range(count):
        issue = makers[n % 3](str(400000 + n), n + 1, f"2024-11-02T10:{15 + n // 60 % 40:02d}:{n % 60:02d}.{n:06d}")
        write(session, issue, f"20241102_10{15 + n // 60 % 40:02d}{n % 60:02d}")
    print(session)


if __name__ == "__main__":
    if len(sys.argv) == 3:
        benchmark_folder(sys.argv[1], int(sys.argv[2]))
    else:
        fixtures(os.path.dirname(os.path.abspath(__file__)))
