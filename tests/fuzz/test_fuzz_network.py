"""The fuzz tests' network guard refuses (and records) any connection that would leave the machine."""

from __future__ import annotations

import socket
import threading

import pytest

from fuzzkit import NetworkBlocked


@pytest.mark.parametrize("address", [("203.0.113.9", 80), ("2001:db8::1", 443), ("example.org", 80)])
def test_the_guard_refuses_a_connection_to_another_machine(no_network, address):
    with pytest.raises(NetworkBlocked):
        socket.create_connection(address, timeout=1)
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s, pytest.raises(NetworkBlocked):
        s.connect(address)
    with socket.socket(family, socket.SOCK_STREAM) as s, pytest.raises(NetworkBlocked):
        s.connect_ex(address)
    assert len(no_network.attempts) == 3
    no_network.attempts.clear()  # these were on purpose; any other attempt fails the module


def test_the_guard_catches_a_library_that_swallows_the_error(no_network):
    import urllib.request

    with pytest.raises(OSError):
        urllib.request.urlopen("http://203.0.113.9/feed.xml", timeout=1)
    assert no_network.attempts, "urllib reached the network without the guard seeing it"
    no_network.attempts.clear()


def test_loopback_connections_still_work(no_network):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        accepted = threading.Thread(target=lambda: server.accept()[0].close())
        accepted.start()
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
        accepted.join(5)
    assert no_network.attempts == []
