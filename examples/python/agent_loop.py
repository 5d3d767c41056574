"""An agent loop: watch a search profile for new messages, show typing, reply, and hand the
case over to a colleague.

    python examples/python/agent_loop.py [--profile kpn] [--max-messages N] [--simulate]

``--simulate`` posts inbound messages to the sandbox (``POST /_sandbox/inbound``, a sandbox-only
control) so that there is something to answer.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
import urllib.request

import webcare


def simulate(base_url: str, texts: list[str]) -> None:
    time.sleep(0.5)
    for text in texts:
        req = urllib.request.Request(
            base_url.rstrip("/") + "/_sandbox/inbound",
            data=json.dumps({"source": "twitter", "text": text}).encode(),
            method="POST",
            headers={"content-type": "application/json"},
        )
        urllib.request.urlopen(req, timeout=10).read()
        time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default=os.environ.get("WEBCARE_PROFILE", "kpn"))
    parser.add_argument("--max-messages", type=int, default=3)
    parser.add_argument("--simulate", action="store_true")
    args = parser.parse_args()

    with webcare.Client(poll_interval=0.2) as client:
        config = client.configuration()
        handler = config.user_ids()[-1]
        watch = client.watch(args.profile)
        watch.poll()  # start after what is there now
        if args.simulate:
            texts = [
                "My internet has been down since this morning!",
                "Mijn factuur klopt niet, kunnen jullie helpen?",
                "Thanks for the quick fix yesterday",
            ][: args.max_messages]
            threading.Thread(target=simulate, args=(client.base_url, texts), daemon=True).start()

        handled = 0
        for message in watch:
            if message.own:
                continue  # our own replies arrive as new results too
            score = webcare.sentiment(message.description or "")
            print(
                f"new {message.source_name} message {message.unique_id} "
                f"({score.label}, {score.language}): {message.description!r}"
            )
            client.event(message.unique_id, "starttyping")
            text = (
                "We're sorry to hear that. We're looking into it right away."
                if score.value < 0
                else "Thanks for your message! We'll get back to you shortly."
            )
            sent = client.reply(message.unique_id, text)
            client.event(message.unique_id, "stoptyping")
            print(f"  replied as {sent.result.unique_id if sent.result else '?'}")
            if message.search_id is not None and message.case_id is not None:
                client.hand_over(message.search_id, message.case_id, handler)
                print(f"  case {message.case_id} handed over to user {handler}")
            handled += 1
            if handled >= args.max_messages:
                break
        print(f"handled {handled} messages; resume with since_id={watch.last_id}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
