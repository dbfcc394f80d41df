"""resources: create many small files."""

from attacklib import *

n = 0
try:
    for i in range(100000):
        open("f%d" % i, "w").close()
        n += 1
except OSError as e:
    print("stopped", e)
print("files", n)
if n >= 100000:
    succeeded("100k files")
