"""Wait until an address answers (make run: print the demo logins once the
site is up, after the server's and the worker's start-up lines)."""

import sys
import time
import urllib.request

url = sys.argv[1]
deadline = time.monotonic() + float(sys.argv[2] if len(sys.argv) > 2 else 60)
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=2):
            sys.exit(0)
    except OSError:
        time.sleep(0.5)
print(f"{url} did not answer; the logins follow anyway.", file=sys.stderr)
