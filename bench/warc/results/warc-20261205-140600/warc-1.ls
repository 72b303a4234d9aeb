/tmp/scruple-warcbench.5jNM7y/data:
total 56700
-rw------- 1 root root       32 Dec  5 14:20 consent.key
-rw------- 1 root root        5 Dec  5 14:20 lock
-rw-r--r-- 1 root root      921 Dec  5 14:20 runs.jsonl
-rw-r--r-- 1 root root 58036224 Dec  5 14:20 scruple.db
-rw------- 1 root root       77 Dec  5 14:20 signing.key
-rw-r--r-- 1 root root       65 Dec  5 14:20 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 14:20 warc

/tmp/scruple-warcbench.5jNM7y/data/warc:
total 32624
-rw-r--r-- 1 root root  1773335 Dec  5 14:20 index.cdxj
-rw-r--r-- 1 root root 26567488 Dec  5 14:20 scruple-20261205142052059-00001-vm-1304.warc.gz
-rw-r--r-- 1 root root  5062109 Dec  5 14:20 scruple-20261205142052059-00001-vm-1304.warc.gz.idx
