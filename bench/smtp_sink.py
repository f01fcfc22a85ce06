"""A lean loopback SMTP sink for the benchmarks: accepts every message, keeps only its Message-ID.

    .venv/bin/python bench/smtp_sink.py [--port 0]             # serve; commands on standard input
    .venv/bin/python bench/smtp_sink.py --bench [--messages N]  # time it with an smtplib client

It speaks the part of RFC 5321 that Python's smtplib (so Django's SMTP backend) uses: the 220
greeting, EHLO/HELO (advertising PIPELINING, 8BITMIME and SIZE), MAIL FROM, RCPT TO, DATA up to
the "<CRLF>.<CRLF>" line, RSET, NOOP and QUIT, with 503 for commands out of order and 500 for
the rest, over one connection for as many messages as the client sends. Each connection is a
thread doing blocking reads, and it scans what it read, not line by line: a message costs the
four reads and writes smtplib's MAIL, RCPT, DATA and message make, and little Python besides.

Serving, it prints "ready PORT" and then answers one line of JSON to each line on its standard
input: "ids" (the Message-ID of every message received, in order; None for a message without
one), "reset" (the same, then forgets them), "stats" (the messages and bytes received since it
started, and the CPU seconds it has used); "stop" or the end of its input stops it.
"""

import argparse
import json
import re
import select
import smtplib
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)
MAX_SIZE = 32 * 1024 * 1024  # bytes in one message; more is refused with 552
MAX_LINE = 2048  # bytes in one command line (RFC 5321 asks for at least 512)
HOSTNAME = b"plenary-sink"
EHLO_REPLY = b"250-%s\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE %d\r\n" % (HOSTNAME, MAX_SIZE)
END_OF_DATA = b"\r\n.\r\n"
READ_SIZE = 256 * 1024


class Mailbox:
    """What the sink has received, shared by all its connections."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ids = []
        self.messages = self.bytes = 0  # since the start, whatever the resets

    def add(self, message_id, size):
        with self.lock:
            self.ids.append(message_id)
            self.messages += 1
            self.bytes += size

    def received(self, *, reset=False):
        with self.lock:
            ids = self.ids
            self.ids = [] if reset else list(ids)
            return ids


class SMTPSession:
    """One client connection's state: feed() takes the bytes read, returns the replies to send.

    Commands are read line by line from the buffer; a message is scanned for its terminator only
    in the bytes that arrived since the last scan."""

    def __init__(self, mailbox):
        self.mailbox = mailbox
        self.buffer = bytearray()
        self.data = None  # a bytearray while reading a message: CRLF + its lines
        self.greeted = self.sender = self.oversize = self.quitting = False
        self.recipients = 0

    def feed(self, chunk):
        replies = []
        if self.data is not None:
            chunk = self._message(chunk, replies)
        if chunk:
            self.buffer += chunk
            self._commands(replies)
        return b"".join(replies)

    def _commands(self, replies):
        buffer = self.buffer
        while (end := buffer.find(b"\r\n")) >= 0:
            line = bytes(buffer[:end])
            del buffer[: end + 2]
            replies.append(self._command(line))
            if self.data is not None:  # DATA accepted: what follows is the message
                rest = bytes(buffer)
                buffer.clear()
                if rest := self._message(rest, replies):
                    buffer += rest
                    continue
                return
            if self.quitting:
                return
        if len(buffer) > MAX_LINE:
            buffer.clear()
            replies.append(b"500 Line too long\r\n")

    def _command(self, line):
        verb = line[:4].upper()
        if verb == b"MAIL":
            if not self.greeted:
                return b"503 Send EHLO or HELO first\r\n"
            if self.sender:
                return b"503 Nested MAIL command\r\n"
            if line[4:10].upper() != b" FROM:":
                return b"501 Syntax: MAIL FROM:<address>\r\n"
            size = re.search(rb"\sSIZE=(\d+)", line, re.IGNORECASE)
            if size and int(size[1]) > MAX_SIZE:
                return b"552 Message size exceeds fixed maximum message size\r\n"
            self.sender = True
            return b"250 OK\r\n"
        if verb == b"RCPT":
            if not self.sender:
                return b"503 Need MAIL before RCPT\r\n"
            if line[4:8].upper() != b" TO:":
                return b"501 Syntax: RCPT TO:<address>\r\n"
            self.recipients += 1
            return b"250 OK\r\n"
        if verb == b"DATA":
            if not self.recipients:
                return b"503 Need RCPT before DATA\r\n"
            self.data = bytearray(b"\r\n")  # so a message's first line can be the lone "."
            return b"354 End data with <CR><LF>.<CR><LF>\r\n"
        if verb == b"EHLO" or verb == b"HELO":
            if len(line) < 6:
                return b"501 Syntax: %s hostname\r\n" % verb
            self.greeted, self.sender, self.recipients = True, False, 0
            return EHLO_REPLY if verb == b"EHLO" else b"250 %s\r\n" % HOSTNAME
        if verb == b"RSET":
            self.sender, self.recipients = False, 0
            return b"250 OK\r\n"
        if verb == b"NOOP":
            return b"250 OK\r\n"
        if verb == b"QUIT":
            self.quitting = True
            return b"221 Bye\r\n"
        if verb == b"VRFY":
            return b"252 Cannot VRFY user\r\n"
        return b"500 Command not recognized\r\n"

    def _message(self, chunk, replies):
        """Add chunk to the message being read; at its end record it. Returns what follows."""
        data = self.data
        scan_from = max(0, len(data) - 4)  # the terminator may straddle two reads
        data += chunk
        end = data.find(END_OF_DATA, scan_from)
        if end < 0:
            if len(data) > MAX_SIZE + 2:  # too big: read on, but keep only what may end it
                self.oversize = True
                del data[2:-4]
            return b""
        size = end  # the message's lines and their CRLFs, without the CRLF put before them
        rest = bytes(data[end + 5 :])
        self.data = None
        self.sender, self.recipients = False, 0
        if self.oversize or size > MAX_SIZE:
            self.oversize = False
            replies.append(b"552 Message size exceeds fixed maximum message size\r\n")
            return rest
        head_end = data.find(b"\r\n\r\n", 0, end + 2)
        match = MESSAGE_ID.search(data, 0, head_end if head_end >= 0 else end)
        self.mailbox.add(match[1].decode() if match else None, size)
        replies.append(b"250 OK: queued\r\n")
        return rest


def handle(connection, mailbox):
    """Serve one client until it quits or hangs up: blocking reads into one buffer, in a thread
    of its own (cheaper per read than an event loop's poll and callbacks)."""
    session = SMTPSession(mailbox)
    buffer = bytearray(READ_SIZE)
    view = memoryview(buffer)
    with connection:
        connection.sendall(b"220 %s ESMTP ready\r\n" % HOSTNAME)
        while not session.quitting and (size := connection.recv_into(buffer)):
            if replies := session.feed(view[:size]):
                connection.sendall(replies)


def accept(listener, mailbox):
    while True:
        connection, _address = listener.accept()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=handle, args=(connection, mailbox), daemon=True).start()


def serve(host, port):
    """Listen, print 'ready PORT', then obey the commands on standard input until it ends."""
    mailbox = Mailbox()
    listener = socket.create_server((host, port), backlog=128)
    threading.Thread(target=accept, args=(listener, mailbox), daemon=True).start()
    print(f"ready {listener.getsockname()[1]}", flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command in ("ids", "reset"):
            answer = mailbox.received(reset=command == "reset")
        elif command == "stats":
            with mailbox.lock:
                answer = {"messages": mailbox.messages, "bytes": mailbox.bytes}
            answer["cpu"] = time.process_time()
        elif command == "stop":
            break
        else:
            answer = {"error": f"unknown command {command!r}"}
        print(json.dumps(answer), flush=True)
    listener.close()


# --- Timing the sink alone ---------------------------------------------------------------------


def sample_message(number, size):
    """A multipart message of about `size` bytes with lines of 76 characters, as Django sends."""
    line = b"The Permanent Mission has the honour to invite you to the briefing on ... ="[:74]
    body = b"\r\n".join([line] * (size // 76))
    return (
        b'Content-Type: multipart/alternative; boundary="===b==="\r\nMIME-Version: 1.0\r\n'
        b"Subject: Invitation\r\nFrom: events@plenary.example\r\n"
        b"To: Delegate <delegate%d@mission.example>\r\nDate: Mon, 1 Jan 2024 00:00:00 -0000\r\n"
        b"Message-ID: <%d.bench@plenary.example>\r\n\r\n--===b===\r\n"
        b'Content-Type: text/plain; charset="utf-8"\r\n\r\n%s\r\n.leading dot\r\n--===b===--\r\n'
        % (number, number, body)
    )


def start(host="127.0.0.1", port=0, command=None):
    """Run a sink (or another command that prints 'ready PORT' and obeys the same standard
    input) in its own process; returns the process and its port."""
    process = subprocess.Popen(
        command or [sys.executable, str(Path(__file__).resolve()), "--host", host,
                    "--port", str(port)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    started = select.select([process.stdout], [], [], 30)[0]
    ready = process.stdout.readline().split() if started else []
    if ready[:1] != ["ready"]:
        process.kill()
        raise RuntimeError("The SMTP sink did not start.")
    return process, int(ready[1])


def ask(process, command):
    process.stdin.write(command + "\n")
    process.stdin.flush()
    return json.loads(process.stdout.readline())


def bench(messages, size, per_connection, command=None):
    process, port = start(command=command)
    try:
        payloads = [sample_message(i, size) for i in range(messages)]
        before = ask(process, "stats")
        started, client_cpu = time.monotonic(), time.process_time()
        for first in range(0, messages, per_connection):
            with smtplib.SMTP("127.0.0.1", port) as client:
                for number in range(first, min(messages, first + per_connection)):
                    to = [f"delegate{number}@mission.example"]
                    client.sendmail("events@plenary.example", to, payloads[number])
        seconds = time.monotonic() - started
        client_cpu = time.process_time() - client_cpu
        after, ids = ask(process, "stats"), ask(process, "reset")
    finally:
        process.stdin.close()
        process.wait(10)
    expected = [f"<{i}.bench@plenary.example>" for i in range(messages)]
    sink_cpu = after["cpu"] - before["cpu"]
    print(
        f"{messages} messages of {len(payloads[0]) / 1024:.1f} KiB, {per_connection} a "
        f"connection: {seconds:.2f} s, {messages / seconds:.0f} msg/s; sink CPU {sink_cpu:.2f} s "
        f"({sink_cpu / messages * 1e6:.0f} µs/msg), client CPU {client_cpu:.2f} s; "
        f"all received once: {sorted(ids) == sorted(expected)}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--bench", action="store_true", help="time the sink with smtplib")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument(
        "--size", type=int, default=5_500, help="bytes a message, about (an invitation: 5.3 KB)"
    )
    parser.add_argument("--per-connection", type=int, default=100)
    args = parser.parse_args()
    if args.bench:
        bench(args.messages, args.size, args.per_connection)
    else:
        serve(args.host, args.port)


if __name__ == "__main__":
    main()
