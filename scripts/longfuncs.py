#!/usr/bin/env python3
"""Lists C++ function bodies longer than a limit: `scripts/longfuncs.py [LIMIT] DIR...` (default 80).

Issue 12's measure: no function in core/ or ui/ longer than about 80 lines, except flat lists of
declarations. Comments, string and character literals (raw strings too) are blanked before braces are
counted, so a '{' inside "..." or '{' does not open a body. A body is a '{' at namespace or class
level whose head (the text since the previous ';', '{' or '}') has a parameter list and is not a
class, struct, enum, namespace or initializer. Lambdas count as part of the function around them.
Prints "lines  file:line  name", longest first; exits 1 when any is over the limit.
"""
import os
import re
import sys

SOURCE = re.compile(r"\.(cpp|h)$")
NOT_A_FUNCTION = re.compile(r"^\s*(template\s*<.*>\s*)?(namespace|class|struct|enum|union|extern)\b", re.S)


def blank(text):
    """Returns text with comments and literals replaced by spaces (newlines kept, so lines still count)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "R" and text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            k = text.find("(", i)
            delim = text[i + 2:k]
            j = text.find(")" + delim + '"', k)
            j = n if j < 0 else j + len(delim) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            # a digit separator (1'000'000) is not a character literal
            if c == "'" and i > 0 and text[i - 1].isalnum() and i + 1 < n and text[i + 1].isalnum() and text[i - 1].isdigit():
                out.append(" ")
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path):
    text = blank(open(path, encoding="utf-8", errors="replace").read())
    # preprocessor lines (and their continuations) are not code: `#if __has_include(<x>)` has no body
    text = re.sub(r"(?m)^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    found = []
    stack = []  # one entry per open brace: (is_function, start_line, name)
    head_start = 0
    line = 1
    for i, c in enumerate(text):
        if c == "\n":
            line += 1
        elif c == "{":
            inside_function = any(f for f, _, _ in stack)
            head = text[head_start:i]
            is_function = (not inside_function and "(" in head and not NOT_A_FUNCTION.match(head)
                           and not re.search(r"=\s*$", head))
            name = ""
            if is_function:
                m = re.search(r"([~\w:]+(?:<[^()]*>)?|operator\s*\S+)\s*\(", head)
                name = m.group(1) if m else "?"
            stack.append((is_function, line, name))
            head_start = i + 1
        elif c == "}":
            if stack:
                is_function, start, name = stack.pop()
                if is_function:
                    found.append((line - start + 1, start, name))
            head_start = i + 1
        elif c == ";" and not any(f for f, _, _ in stack):
            head_start = i + 1
        elif c == ";":
            head_start = i + 1
    return found


def main(argv):
    limit = 80
    if argv and argv[0].isdigit():
        limit = int(argv.pop(0))
    rows = []
    for root in argv or ["core", "ui", "app"]:
        for folder, _, files in os.walk(root):
            for f in files:
                if SOURCE.search(f):
                    p = os.path.join(folder, f)
                    rows += [(n, p, start, name) for n, start, name in functions(p) if n > limit]
    for n, p, start, name in sorted(rows, reverse=True):
        print(f"{n:5d}  {p}:{start}  {name}")
    return 1 if rows else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
