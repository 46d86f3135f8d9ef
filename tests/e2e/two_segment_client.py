"""A WS-Management client that writes like omicli: on one keep-alive TCP
connection with Nagle's algorithm on (no TCP_NODELAY), each request goes out
as two send() calls, the HTTP headers and then the body.  The client's
kernel holds the body back until the headers are acknowledged, so a server
that delays its ACKs stalls every round trip by the delayed-ACK timeout
(about 40 ms on Linux).  Used by test_wsman_streaming.py, and as a
benchmark:

    python3 tests/e2e/two_segment_client.py --port 5985 --user admin \\
        --password-file pw --envelope 102400 [--class SMS_BootImagePackage]

prints the instances enumerated, instances per second and the round-trip
times (median, p99, how many took 35 ms or more)."""
import argparse
import base64
import socket
import statistics
import sys
import time
import xml.etree.ElementTree as ET

import wsman_harness as wh

STALL_MS = 35.0  # Linux delays an ACK by at least 40 ms


class TwoSegmentClient:
    def __init__(self, host, port, user, password, timeout=60):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        # Nagle on, as a client that never sets TCP_NODELAY.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
        self.reader = self.sock.makefile("rb")
        self.host = "%s:%d" % (host, port)
        self.auth = base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        self.round_trips_ms = []

    def close(self):
        self.reader.close()
        self.sock.close()

    def post(self, body):
        """(status, body bytes) of one POST /wsman, headers and body sent apart."""
        data = body.encode("utf-8")
        head = ("POST /wsman HTTP/1.1\r\nHost: %s\r\nAuthorization: Basic %s\r\n"
                "Content-Type: application/soap+xml;charset=UTF-8\r\n"
                "User-Agent: two-segment test client\r\n"
                "Content-Length: %d\r\nConnection: Keep-Alive\r\n\r\n"
                % (self.host, self.auth, len(data))).encode("ascii")
        start = time.monotonic()
        self.sock.send(head)  # first segment
        self.sock.send(data)  # second segment: waits for the first one's ACK
        status, answer = self.read_response()
        self.round_trips_ms.append((time.monotonic() - start) * 1000.0)
        return status, answer

    def read_response(self):
        status_line = self.reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        length, chunked = None, False
        while True:
            line = self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
            elif name.strip().lower() == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if chunked:
            parts = []
            while True:
                size = int(self.reader.readline().split(b";")[0], 16)
                if size == 0:
                    self.reader.readline()
                    break
                parts.append(self.reader.read(size))
                self.reader.readline()
            return status, b"".join(parts)
        return status, self.reader.read(length or 0)

    def send(self, envelope):
        status, answer = self.post(envelope)
        root = ET.fromstring(answer)
        if status != 200:
            fault = wh.Fault(status, root, answer.decode("utf-8", "replace"))
            raise AssertionError("fault %s %s: %s" % (fault.code, fault.subcode, fault.reason))
        return root

    def enumerate_all(self, class_name="SMS_BootImagePackage", envelope=102400,
                      max_elements=32000):
        """Every instance element of an Enumerate (optimized) and its Pulls."""
        resource = wh.CIM_URI + class_name
        root = self.send(wh.enumerate_(resource, max_elements=max_elements,
                                       max_size=envelope))
        resp = root.find("s:Body/n:EnumerateResponse", wh.NS)
        items = list(resp.find("w:Items", wh.NS))
        context = resp.findtext("n:EnumerationContext", namespaces=wh.NS)
        done = resp.find("w:EndOfSequence", wh.NS) is not None
        while not done:
            root = self.send(wh.pull(resource, context, max_elements, max_size=envelope))
            resp = root.find("s:Body/n:PullResponse", wh.NS)
            items += list(resp.find("n:Items", wh.NS))
            context = resp.findtext("n:EnumerationContext", namespaces=wh.NS)
            done = resp.find("n:EndOfSequence", wh.NS) is not None
        return items

    def stalls(self):
        return sum(1 for ms in self.round_trips_ms if ms >= STALL_MS)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password-file", required=True)
    ap.add_argument("--class", dest="class_name", default="SMS_BootImagePackage")
    ap.add_argument("--envelope", type=int, default=102400)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    password = open(args.password_file).read().strip()
    for run in range(args.repeat):
        client = TwoSegmentClient(args.host, args.port, args.user, password)
        start = time.monotonic()
        items = client.enumerate_all(args.class_name, args.envelope)
        elapsed = time.monotonic() - start
        rt = sorted(client.round_trips_ms)
        print("run %d: %d instances in %.3f s = %.0f/s; %d round trips, median %.2f ms, "
              "p99 %.2f ms, %d at %.0f ms or more"
              % (run + 1, len(items), elapsed, len(items) / elapsed if elapsed else 0,
                 len(rt), statistics.median(rt), rt[min(len(rt) - 1, int(len(rt) * 0.99))],
                 client.stalls(), STALL_MS))
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
