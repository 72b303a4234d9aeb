/tmp/scruple-warcbench.5jNM7y/data:
total 56708
-rw------- 1 root root       32 Dec  5 14:21 consent.key
-rw------- 1 root root        5 Dec  5 14:21 lock
-rw-r--r-- 1 root root      921 Dec  5 14:21 runs.jsonl
-rw-r--r-- 1 root root 58044416 Dec  5 14:21 scruple.db
-rw------- 1 root root       77 Dec  5 14:21 signing.key
-rw-r--r-- 1 root root       65 Dec  5 14:21 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 14:21 warc

/tmp/scruple-warcbench.5jNM7y/data/warc:
total 32628
-rw-r--r-- 1 root root  1773335 Dec  5 14:21 index.cdxj
-rw-r--r-- 1 root root 26567121 Dec  5 14:21 scruple-20261205142141038-00001-vm-1595.warc.gz
-rw-r--r-- 1 root root  5062230 Dec  5 14:21 scruple-20261205142141038-00001-vm-1595.warc.gz.idx
