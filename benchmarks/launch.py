"""Run ARGV as a grandchild and print its peak RSS (KiB) on fd 3's file.

Why: Linux keeps a process's peak RSS across fork + exec, so a child forked
from a benchmark that has just generated 1 GB of data reports that 1 GB as its
own peak. This launcher is small when it forks, so the peak it reads with
``wait4`` is the job's alone. ``python -S benchmarks/launch.py OUT ARGV…``.
"""

import os
import sys


def main() -> int:
    out, argv = sys.argv[1], sys.argv[2:]
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    with open(out, "w") as fh:
        fh.write(str(usage.ru_maxrss))
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
