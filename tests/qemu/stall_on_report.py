#!/usr/bin/env python3
"""Freezes the NFS server the moment a worker reports a given stage: listens where the
worker's reports go (UDP 7468 in the test's namespace, the guest's 10.0.2.2) and acks every
report as ghostwatch would (the worker's image has no key: HMAC-SHA256 with the empty key),
except the one of STAGE: on its first copy it sends SIGSTOP to PID, the test's own
NFS-Ganesha, and acks nothing after that. The worker waits for that ack (3 sends, 20 ms each,
docs/protocol.md) before its next step, so the server is frozen between two steps of the root
stage, not at the mercy of a console line read later. Prints "fatal report: TEXT" for every
fatal report. The worker speaks protocol v1 (ghost.protocol=1): no nonce to echo.
Usage: stall_on_report.py PID STAGE (a report stage number)."""
import hashlib
import hmac
import os
import signal
import socket
import sys
import time

FATAL = 11
pid, stage = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 7468))
s.settimeout(600)
print("listening", flush=True)
stopped = False
while True:
    pkt, peer = s.recvfrom(2048)
    # magic 'GW', version 1, type 1 (report); the stage at offset 22, the text at 36
    if len(pkt) < 37 or pkt[0:2] != b"GW" or pkt[3] != 1:
        continue
    if pkt[22] == FATAL:
        text = pkt[37:37 + pkt[36]].decode("ascii", "replace")
        print("fatal report: %s" % text, flush=True)
    if stopped:
        continue
    if pkt[22] == stage:
        os.kill(pid, signal.SIGSTOP)
        stopped = True
        print("stopped %d at %.3f" % (pid, time.time()), flush=True)
        continue
    ack = pkt[0:3] + b"\x02" + pkt[4:22]  # the header (node, boot id, sequence) as type 2
    s.sendto(ack + hmac.new(b"", ack, hashlib.sha256).digest(), peer)
