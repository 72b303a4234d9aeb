/tmp/scruple-warcbench.sdMpCp/data:
total 56728
-rw------- 1 root root       32 Dec  5 14:04 consent.key
-rw------- 1 root root        6 Dec  5 14:04 lock
-rw-r--r-- 1 root root      921 Dec  5 14:04 runs.jsonl
-rw-r--r-- 1 root root 58060800 Dec  5 14:04 scruple.db
-rw------- 1 root root       77 Dec  5 14:04 signing.key
-rw-r--r-- 1 root root       65 Dec  5 14:04 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 14:04 warc

/tmp/scruple-warcbench.sdMpCp/data/warc:
total 32636
-rw-r--r-- 1 root root  1779354 Dec  5 14:04 index.cdxj
-rw-r--r-- 1 root root 26569025 Dec  5 14:04 scruple-20261205140452989-00001-vm-16092.warc.gz
-rw-r--r-- 1 root root  5062212 Dec  5 14:04 scruple-20261205140452989-00001-vm-16092.warc.gz.idx
