"""A round of a benchmark in another checkout: the same script, in a fresh process.

The ``bench_*.py`` scripts that compare this checkout with another (``--against``)
run each round through :func:`json_in`, so that every round imports its own sk_rnn
and machine noise hits both sides alike. Their parsers come from
:func:`round_parser`, and a round answers with :func:`reply`.
"""

import argparse
import json
import os
import subprocess
import sys


def json_in(root, script, arguments):
    """Run ``script --json *arguments`` in a fresh process importing ``root``'s
    sk_rnn, and return the JSON it prints; exit with its errors if it fails."""
    command = [sys.executable, script, "--json", *map(str, arguments)]
    env = dict(os.environ, PYTHONPATH=root)
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"a round in {root} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def round_parser(description):
    """An argument parser with the protocol's flags: ``--against DIR``, the other
    checkout, and the hidden ``--json`` that :func:`json_in` passes to a round."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--against", metavar="DIR", help="root of another checkout")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    return parser


def reply(figures):
    """A round's answer: ``figures`` as the JSON that :func:`json_in` reads."""
    print(json.dumps(figures))
