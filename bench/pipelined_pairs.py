#!/usr/bin/env python3
"""Two pipelined requests at a time on one keep-alive connection: the time until both answers
are in, median and worst of PAIRS. A server that lets Nagle hold its second answer until the
first is acknowledged takes a delayed ACK (about 40 ms) for every pair.

usage: bench/pipelined_pairs.py PORT [TARGET] [PAIRS]"""
import socket
import sys
import time

port = int(sys.argv[1])
target = sys.argv[2] if len(sys.argv) > 2 else "/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15"
pairs = int(sys.argv[3]) if len(sys.argv) > 3 else 200
request = f"GET {target} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
sock = socket.create_connection(("127.0.0.1", port), timeout=10)  # a stalled server ends the run
pending = b""


def answer_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


def read_answers(count: int) -> None:
    global pending
    while count > 0:
        end = pending.find(b"\r\n\r\n")
        if end >= 0 and len(pending) >= end + 4 + answer_length(pending[:end]):
            pending = pending[end + 4 + answer_length(pending[:end]):]
            count -= 1
            continue
        data = sock.recv(65536)
        if not data:
            sys.exit("pipelined_pairs: the server closed the connection")
        pending += data


took = []
for _ in range(pairs):
    start = time.perf_counter()
    sock.sendall(request * 2)
    read_answers(2)
    took.append(time.perf_counter() - start)
    time.sleep(0.002)  # the client idles a moment, as a real one does: its ACKs go delayed
took.sort()
print(f"{took[len(took) // 2] * 1e3:.3f} {took[-1] * 1e3:.3f}")
