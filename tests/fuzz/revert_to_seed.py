#!/usr/bin/env python3
"""Shrinks a crashing results file to the fewest bytes that differ from a seed.

libFuzzer's -minimize_crash deletes bytes, which breaks every offset in an HDF5 file; this
instead reverts bytes to the nearest seed's while the crash reproduces with the same sanitizer
summary, and lists the bytes that remain changed.

    tests/fuzz/revert_to_seed.py build/fuzz/tests/fuzz/fuzz_results_reader CRASH [SEED_DIR]

writes CRASH.min beside CRASH (SEED_DIR: tests/fuzz/corpus/results by default).
"""
import os
import pathlib
import subprocess
import sys


def crash_summary(binary, data, scratch):
    scratch.write_bytes(data)
    # -timeout: libhdf5 loops forever on some damaged files, which libFuzzer then reports.
    result = subprocess.run([binary, "-timeout=5", str(scratch)], capture_output=True, text=True, errors="replace",
                            env={"ASAN_OPTIONS": "detect_leaks=0", **os.environ})
    for line in result.stderr.splitlines():
        if line.startswith("SUMMARY:"):
            return line.split("(BuildId")[0].strip()
    return None


def differing(a, b):
    return [i for i in range(min(len(a), len(b))) if a[i] != b[i]]


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    binary, crash = sys.argv[1], pathlib.Path(sys.argv[2])
    seeds = pathlib.Path(sys.argv[3] if len(sys.argv) == 4 else "tests/fuzz/corpus/results")
    data = bytearray(crash.read_bytes())
    scratch = crash.with_name(crash.name + ".try")
    want = crash_summary(binary, bytes(data), scratch)
    if want is None:
        sys.exit(f"{crash} does not crash {binary}")
    # The nearest seed: the fewest differing bytes, counting a difference in length as such.
    seed_path = min(seeds.iterdir(), key=lambda p: len(differing(data, p.read_bytes())) + abs(len(data) - p.stat().st_size))
    seed = seed_path.read_bytes()
    if len(data) != len(seed):
        same_length = bytearray(data[:len(seed)]) + seed[len(data):]
        if crash_summary(binary, bytes(same_length), scratch) == want:
            data = same_length
    changed = differing(data, seed)
    chunk = max(1, len(changed) // 2)
    while chunk >= 1:  # revert halves, then quarters, ... down to single bytes
        start = 0
        while start < len(changed):
            group = changed[start:start + chunk]
            trial = bytearray(data)
            for i in group:
                trial[i] = seed[i]
            if crash_summary(binary, bytes(trial), scratch) == want:
                data, changed = trial, [i for i in changed if i not in group]
            else:
                start += chunk
        chunk //= 2
    scratch.unlink()
    out = crash.with_name(crash.name + ".min")
    out.write_bytes(data)
    print(want)
    print(f"{out}: {seed_path.name} ({len(seed)} bytes) with {len(changed)} byte(s) changed"
          + ("" if len(data) == len(seed) else f", length {len(data)}"))
    for i in changed:
        print(f"  offset 0x{i:x}: 0x{seed[i]:02x} -> 0x{data[i]:02x}")


if __name__ == "__main__":
    main()
