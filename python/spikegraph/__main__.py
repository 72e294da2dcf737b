"""`python -m spikegraph run|sweep|inspect|plot ...`: the spikegraph command line, in-process."""
import sys

from ._core import cli_main

if __name__ == "__main__":
    sys.stdout.flush()
    sys.exit(cli_main(sys.argv[1:]))
