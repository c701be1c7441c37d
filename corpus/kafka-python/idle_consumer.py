"""The idle trigger of the kafka-python corpus suite.

A KafkaConsumer pointed at a loopback port nobody listens on, iterated until
consumer_timeout_ms (SECONDS, default 2) passes without a message: the
consumer can only wait for brokers that are down. In kafka-python 1.4.1 the
consumer's poll loop does not wait when it has no broker connection: it
retries at once, a core busy for as long as the brokers stay down
(dpkp/kafka-python#1322); 1.4.2 waits (dpkp/kafka-python#1415).
api_version is given so that the consumer does not probe a broker for it
(which fails at once without one).

    python idle_consumer.py [SECONDS]
"""
import socket
import sys

from kafka import KafkaConsumer


def main():
    secs = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    # a port nobody listens on: take a free one, then close it
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    consumer = KafkaConsumer("spin-gate", bootstrap_servers="127.0.0.1:%d" % port,
                             api_version=(0, 10), consumer_timeout_ms=int(secs * 1000))
    for _ in consumer:
        pass
    consumer.close()


if __name__ == "__main__":
    main()
