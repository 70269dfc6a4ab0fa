#!/usr/bin/env python3
"""The power button of the QEMU workers: QEMU has no Wake-on-LAN, so the harness stands in for
the NIC. Watches an interface (the cluster bridge, in the test's namespace) for magic packets
(6 bytes 0xff, then a MAC 16 times, anywhere in the frame, as a sleeping NIC matches them) and
resumes the paused QEMU of that MAC through its QMP socket ("cont"). This is the only
simulated part of powering a worker on; everything else (the packet, who sends it, the node's
boot) is real. A worker that powers off ends its QEMU; a harness that starts it again paused
(the PC is off, its NIC listening) gets it woken again by the next packet: each packet asks
QEMU for its state and resumes only a paused one, as a NIC wakes only a sleeping PC.

usage: wol_watch.py IFACE MAC=QMP_SOCKET...   prints, a packet each, "WAKE <mac> resumed",
"WAKE <mac> running" (already on), "WAKE <mac> no-qemu" (nothing at that socket: unplugged)
or "WAKE <mac> unknown" (no such worker)
"""
import json
import socket
import sys

ETH_P_ALL = 3


def qmp_wake(path):
    """Resumes the QEMU at path if it is paused: "resumed", "running" or "no-qemu"."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        try:
            s.connect(path)
        except OSError:
            return "no-qemu"
        f = s.makefile("rw")
        f.readline()  # the greeting
        qmp(f, "qmp_capabilities")
        if qmp(f, "query-status").get("running"):
            return "running"
        qmp(f, "cont")
        return "resumed"


def qmp(f, cmd):
    f.write(json.dumps({"execute": cmd}) + "\n")
    f.flush()
    while True:  # skip events until the answer
        answer = json.loads(f.readline())
        if "error" in answer:
            raise RuntimeError(answer["error"])
        if "return" in answer:
            return answer["return"]


def magic_macs(frame):
    """Every MAC whose magic pattern is in the frame."""
    found, start = set(), 0
    while (i := frame.find(b"\xff" * 6, start)) >= 0:
        mac = frame[i + 6:i + 12]
        if len(mac) == 6 and frame[i + 6:i + 102] == mac * 16:
            found.add(mac.hex(":"))
        start = i + 1
    return found


def main():
    iface, targets = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[2:])
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind((iface, 0))
    print("WATCHING", iface, " ".join(targets), flush=True)
    while True:
        for mac in magic_macs(sock.recv(65536)):
            print("WAKE", mac, qmp_wake(targets[mac]) if mac in targets else "unknown", flush=True)


if __name__ == "__main__":
    main()
