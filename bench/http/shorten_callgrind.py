#!/usr/bin/env python3
"""Filters callgrind_annotate output: C++ names without template arguments and parameter
lists, libraries by file name, so that Boost.Asio/Beast frames fit on one line.

  callgrind_annotate callgrind.out | shorten_callgrind.py
"""
import re
import sys

LINE = re.compile(r"^(\s*[\d,]+ \(\s*[\d.]+%\))\s+(.*?)(\s+\[([^\]]+)\])?$")


def strip_templates(s):
    out, depth, i = [], 0, 0
    while i < len(s):
        if s.startswith(("operator<", "operator>"), i):
            out.append(s[i:i + 9])
            i += 9
            continue
        c = s[i]
        if c == "<":
            if depth == 0:
                out.append("<…>")
            depth += 1
        elif c == ">" and depth:
            depth -= 1
        elif depth == 0:
            out.append(c)
        i += 1
    return "".join(out)


def strip_args(s):
    out, depth = [], 0
    for c in s:
        if c == "(":
            if depth == 0:
                out.append("()")
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(c)
    return "".join(out)


def main():
    for line in sys.stdin:
        m = LINE.match(line.rstrip("\n"))
        if not m:
            print(line, end="")
            continue
        cost, fn, lib = m.group(1), m.group(2), m.group(4)
        if not fn.startswith("???"):
            fn = re.sub(r"^[^:]*?:(?=[A-Za-z_~])", "", fn, count=1)  # the source file
        fn = strip_args(strip_templates(fn)).replace(" [clone .isra.0]", "")
        lib = f"  [{lib.rsplit('/', 1)[-1]}]" if lib else ""
        print(f"{cost}  {fn[:140]}{lib}")


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        pass
