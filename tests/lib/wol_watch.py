#!/usr/bin/env python3
"""The power button of the QEMU workers: QEMU has no Wake-on-LAN, so the harness stands in for
the NIC. Watches an interface (the cluster bridge, in the test's namespace) for magic packets
(6 bytes 0xff, then a MAC 16 times, anywhere in the frame, as a sleeping NIC matches them) and
resumes the paused QEMU of that MAC through its QMP socket ("cont"). This is the only
simulated part of powering a worker on; everything else (the packet, who sends it, the node's
boot) is real.

usage: wol_watch.py IFACE MAC=QMP_SOCKET...   prints "WAKE <mac> resumed" / "WAKE <mac> unknown"
"""
import json
import socket
import sys

ETH_P_ALL = 3


def qmp_cont(path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(path)
        f = s.makefile("rw")
        f.readline()  # the greeting
        for cmd in ("qmp_capabilities", "cont"):
            f.write(json.dumps({"execute": cmd}) + "\n")
            f.flush()
            while True:  # skip events until the answer
                answer = json.loads(f.readline())
                if "return" in answer or "error" in answer:
                    break
            if "error" in answer:
                raise RuntimeError(answer["error"])


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
    woken = set()
    while True:
        for mac in magic_macs(sock.recv(65536)):
            if mac not in targets:
                print("WAKE", mac, "unknown", flush=True)
            elif mac not in woken:
                qmp_cont(targets[mac])
                woken.add(mac)
                print("WAKE", mac, "resumed", flush=True)


if __name__ == "__main__":
    main()
