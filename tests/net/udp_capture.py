#!/usr/bin/env python3
"""A UDP relay that records what passes, and the replay of what it recorded: the attacker of
issue 17 who captured a node's reports. Used by tests/net/test_ghostwatch_replay.sh.

  udp_capture.py relay LISTEN_PORT TARGET_PORT LOG   relays 127.0.0.1:LISTEN <-> 127.0.0.1:TARGET,
                                                     one line per datagram: "up|down <hex>"
  udp_capture.py replay TARGET_PORT LOG              sends every "up" datagram of LOG again
"""
import select
import socket
import sys
import time


def relay(listen_port, target_port, log_path):
    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind(("127.0.0.1", listen_port))
    backs = {}  # client address -> its own socket towards the target
    with open(log_path, "a", buffering=1) as log:
        while True:
            ready, _, _ = select.select([front] + list(backs.values()), [], [], 1.0)
            for s in ready:
                if s is front:
                    data, client = front.recvfrom(2048)
                    if client not in backs:
                        b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        b.connect(("127.0.0.1", target_port))
                        backs[client] = b
                    log.write("up %s\n" % data.hex())
                    backs[client].send(data)
                else:
                    data = s.recv(2048)
                    client = next(c for c, b in backs.items() if b is s)
                    log.write("down %s\n" % data.hex())
                    front.sendto(data, client)


def replay(target_port, log_path):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sent = 0
    for line in open(log_path):
        way, data = line.split()
        if way == "up":
            s.sendto(bytes.fromhex(data), ("127.0.0.1", target_port))
            sent += 1
            time.sleep(0.01)
    print("replayed %d datagrams" % sent)


if __name__ == "__main__":
    if sys.argv[1] == "relay":
        relay(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        replay(int(sys.argv[2]), sys.argv[3])
