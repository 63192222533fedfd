"""Open the load test's course, lessons and quiz once before the run, as a
site that has been up a while has: the lessons' pictures are resized on the
first view (Wagtail's renditions), which is not what a campaign's peak costs.

    python bench/load/warm_up.py PLAN HOST [SITE]
"""

import json
import sys
import time
from urllib.parse import urlsplit

import requests


def main(plan_file: str, host: str, site: str = "") -> int:
    plan = json.loads(open(plan_file, encoding="utf-8").read())
    headers = {}
    if site:
        headers = {"Host": urlsplit(site).netloc, "X-Forwarded-Proto": "https"}
    for path in (plan["course"], *plan["lessons"], plan["quiz"]):
        for _ in range(3):
            response = requests.get(
                host.rstrip("/") + path,
                headers=headers,
                timeout=300,
                allow_redirects=False,
            )
            # A load balancer may have taken a node out while it resized.
            if response.status_code not in (502, 503, 504):
                break
            time.sleep(5)
        seconds = response.elapsed.total_seconds()
        print(f"  {path}: {response.status_code} in {seconds:.1f} s")
        if response.status_code != 200:
            return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
