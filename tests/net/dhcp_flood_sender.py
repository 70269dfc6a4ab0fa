#!/usr/bin/env python3
"""Floods IFACE with DHCPOFFERs for MAC that carry a foreign xid (never the client's): answers
the client's packet filter lets through (our chaddr, UDP to port 68) and its parser must read
and reject, sent as fast as this process can. Test helper for tests/net/test_dhcp_flood.sh;
runs inside the test's master namespace only, until killed."""
import socket
import sys

iface, mac = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", ""))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode() + b"\0")
hdr = bytearray(236)
hdr[0:4] = b"\x02\x01\x06\x00"
hdr[4:8] = b"\xde\xad\xbe\xef"  # nobody's xid
hdr[16:20] = bytes([10, 77, 0, 66])
hdr[28:28 + len(mac)] = mac
pkt = bytes(hdr) + b"\x63\x82\x53\x63" + bytes([53, 1, 2, 54, 4, 10, 77, 0, 66, 1, 4, 255, 255, 255, 0, 255])
print("flooding", flush=True)
n = 0
while True:
    try:
        s.sendto(pkt, ("255.255.255.255", 68))
        n += 1
    except OSError:
        pass
