#!/usr/bin/env python3
"""Answers the first DHCPDISCOVER it hears on IFACE with malformed replies, one of each kind
the client must ignore and count, then exits. Test helper for tests/net/test_dhcp_bad_packets.sh;
runs inside the test's master namespace only."""
import socket
import struct
import sys

iface = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode() + b"\0")
s.bind(("0.0.0.0", 67))
s.settimeout(20)
print("listening", flush=True)
while True:
    pkt, _ = s.recvfrom(2048)
    if len(pkt) >= 240 and pkt[0] == 1:
        break
xid = pkt[4:8]
chaddr = pkt[28:44]


def reply(options, xid=xid, chaddr=chaddr, magic=b"\x63\x82\x53\x63", pad=0):
    hdr = bytearray(236)
    hdr[0:4] = b"\x02\x01\x06\x00"
    hdr[4:8] = xid
    hdr[10] = 0x80
    hdr[16:20] = bytes([10, 77, 0, 66])
    hdr[20:24] = bytes([10, 77, 0, 1])
    hdr[28:44] = chaddr
    return bytes(hdr) + magic + options + b"\0" * pad


good = bytes([53, 1, 2, 54, 4, 10, 77, 0, 1, 1, 4, 255, 255, 255, 0, 255])
bad = {
    "truncated": reply(good)[:200],
    "oversized": reply(good, pad=1400),
    "wrong_magic": reply(good, magic=b"\x63\x82\x53\x64"),
    "wrong_xid": reply(good, xid=bytes(b ^ 0xFF for b in xid)),
    "wrong_chaddr": reply(good, chaddr=bytes([0x02] * 6) + bytes(10)),
    "option_overrun": reply(bytes([53, 1, 2, 12, 200, 97, 98, 99])),
    "unterminated": reply(good[:-1]),
    "malformed": reply(bytes([54, 4, 10, 77, 0, 1, 255])),
}
for name, data in bad.items():
    s.sendto(data, ("255.255.255.255", 68))
    print("sent", name, len(data), flush=True)
s.close()
