#!/usr/bin/env python3
"""Figures of one storm launch (tests/storm/lib.sh), as key=value lines.

usage: analyse.py DIR KIND N OFFSET_MS
DIR/<i>/times holds "start end status" (wall-clock seconds) of client i, DIR/<i>/run/
exec_start the moment right before its exec (the client waits for the release inside its
namespace, so this is when the release reached it); DIR/<i>/out its output.
A ghostboot client's lease time is its own (GHOST_LEASE_AT_MS, CLOCK_BOOTTIME ms,
+ OFFSET_MS to wall clock); an ipconfig client's is its exit (it exits once configured).
When ghostwatch saw a node comes from ghostwatch's own state (status --json: last_seen_ms, the
receipt of its last report, which is the lease when no heartbeat follows). DHCP packets are
counted in dnsmasq's log (--log-dhcp: one line per packet). Times are ms from the node's own
exec; percentiles are nearest-rank. Spreads: of the releases (barrier) and of the execs.
"""
import json
import math
import os
import re
import sys

TIMEOUT_STATUS = (124, 137)


def env(text):
    return dict(re.findall(r"^(GHOST_[A-Z_]+)='(.*)'$", text, re.M))


def pct(values, p):
    if not values:
        return "nan"
    v = sorted(values)
    return "%.0f" % v[max(0, math.ceil(p / 100 * len(v)) - 1)]


def mac(i):
    return "02:57:00:00:%02x:%02x" % (i >> 8, i & 255)


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def main():
    d, kind, n, offset = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    releases, starts, lease_ms, seen_ms, ends, last = [], [], [], [], [], []
    leased = stuck = failed = 0
    rep = dict(reports=0, sent=0, retransmits=0, acked=0, given_up=0, waited_max=0)
    nodes = {}
    if kind == "ghostboot":
        doc = json.loads(read(os.path.join(d, "status.json"), '{"nodes": []}'))
        nodes = {x["node"]: x for x in doc["nodes"]}
    in_table = lease_seen = ignored = 0
    for i in range(1, n + 1):
        t = read(os.path.join(d, str(i), "times")).split()
        if len(t) != 3:
            stuck += 1
            continue
        released, end, status = float(t[0]) * 1000, float(t[1]) * 1000, int(t[2])
        exec_start = read(os.path.join(d, str(i), "run", "exec_start")).strip()
        start = float(exec_start) * 1000 if exec_start else released
        releases.append(released)
        starts.append(start)
        ends.append(end)
        if status in TIMEOUT_STATUS:
            stuck += 1
        out = read(os.path.join(d, str(i), "out"))
        at = None
        if kind == "ghostboot":
            e = env(out)
            if e.get("GHOST_ADDR") and e.get("GHOST_LEASE_AT_MS"):
                at = int(e["GHOST_LEASE_AT_MS"]) + offset
            rep["reports"] += int(e.get("GHOST_REPORT_SEQ", 0))
            ignored += int(e.get("GHOST_REJECTED", 0))
            for k in ("sent", "retransmits", "acked", "given_up"):
                rep[k] += int(e.get("GHOST_REPORT_" + k.upper(), 0))
            rep["waited_max"] = max(rep["waited_max"], int(e.get("GHOST_REPORT_WAITED_MS", 0)))
            node = nodes.get(mac(i))
            if node:
                in_table += 1
                if "lease" in node["stages_ms"]:
                    lease_seen += 1
                    if node["stage"] == "lease":
                        seen_ms.append(node["last_seen_ms"] - start)
        else:
            conf = read(os.path.join(d, str(i), "run", "net-veth0.conf"))
            if status == 0 and "IPV4ADDR=" in conf:
                at = end
        if at is None:
            failed += 1
        else:
            leased += 1
            lease_ms.append(at - start)
            last.append(at)
    print("clients=%d" % n)
    print("spread_ms=%.0f" % ((max(releases) - min(releases)) if releases else float("nan")))
    print("exec_spread_ms=%.0f" % ((max(starts) - min(starts)) if starts else float("nan")))
    print("leased=%d" % leased)
    print("failed=%d" % failed)
    print("stuck=%d" % stuck)
    for name, values in (("lease", lease_ms), ("seen", seen_ms)):
        for p in (50, 99, 100):
            print("%s_p%s=%s" % (name, "max" if p == 100 else p, pct(values, p)))
    print("storm_ms=%.0f" % ((max(ends) - min(releases)) if releases else float("nan")))
    print("all_leased_ms=%.0f" % ((max(last) - min(releases)) if last else float("nan")))
    log = read(os.path.join(d, "dnsmasq.log"))
    count = {k: len(re.findall(r" DHCP%s\(br0\)" % k, log)) for k in ("DISCOVER", "OFFER", "REQUEST", "ACK", "NAK")}
    for k, v in count.items():
        print("dhcp_%s=%d" % (k.lower(), v))
    print("dhcp_packets_per_lease=%s" % ("%.2f" % (sum(count.values()) / leased) if leased else "nan"))
    print("exchanges_per_node=%.2f" % (count["DISCOVER"] / n))
    print("master_udp_drops=%s" % (read(os.path.join(d, "master_drops"), "0").strip() or 0))
    if kind == "ghostboot":
        accepted = int(read(os.path.join(d, "accepted"), "0").strip() or 0)
        tentative = int(read(os.path.join(d, "tentative"), "0").strip() or 0)
        replayed = int(read(os.path.join(d, "replayed"), "0").strip() or 0)
        # DHCP answers a client read and ignored (another node's, malformed...): its socket
        # filter keeps the other nodes' broadcast answers out, so this stays near 0, not N.
        print("dhcp_ignored_per_node=%.2f" % (ignored / n))
        print("in_table=%d" % in_table)
        print("lease_seen=%d" % lease_seen)
        for k, v in rep.items():
            print("reports_%s=%d" % (k, v))
        print("gw_accepted=%d" % accepted)
        print("gw_tentative=%d" % tentative)
        print("gw_replayed=%d" % replayed)
        print("gw_rate_limited=%s" % (read(os.path.join(d, "rate_limited"), "0").strip() or 0))
        # Lost: sent and neither applied nor held as a v2 boot's tentative first report. Each
        # node sends one opener; the counter also counts its retransmissions, hence at most n.
        print("reports_lost=%d" % (rep["reports"] - accepted - min(tentative, n)))


main()
