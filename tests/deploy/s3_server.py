"""An S3 API server for the tests: moto in server mode, listening on one port of
each of several loopback addresses, with one shared in-memory state (moto's
backends are per process). Usage: python tests/deploy/s3_server.py PORT HOST [HOST...]"""

import signal
import sys
import threading

from moto.server import ThreadedMotoServer


def main(port: int, hosts: list[str]) -> None:
    servers = [ThreadedMotoServer(ip_address=host, port=port, verbose=False) for host in hosts]
    for server in servers:
        server.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    for server in servers:
        server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
