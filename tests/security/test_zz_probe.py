import time, collections
from securitykit import named_routes, url_for, call
from conftest import ROLES


def test_probe(client, world):
    client.raise_request_exception = False
    roles = ROLES + ["anonymous"]
    per = collections.Counter()
    t = time.time()
    for r in named_routes():
        for m in ("GET", "POST"):
            for role in roles:
                user = world.users.get(role)
                s = time.time()
                resp = call(client, user, m, url_for(r, world))
                per[r.name] += time.time() - s
    for k, v in per.most_common(20):
        print(f"{k:30} {v:.2f}")
    print("time", time.time() - t)
    s = time.time()
    for i in range(50):
        call(client, world.users["caseworker_g1a"], "GET", "/healthz")
    print("healthz x50", time.time() - s)
    s = time.time()
    for i in range(50):
        call(client, None, "GET", "/healthz")
    print("anon healthz x50", time.time() - s)
