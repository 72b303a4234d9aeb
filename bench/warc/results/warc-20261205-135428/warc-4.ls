/tmp/scruple-warcbench.sdMpCp/data:
total 56688
-rw------- 1 root root       32 Dec  5 14:05 consent.key
-rw------- 1 root root        6 Dec  5 14:05 lock
-rw-r--r-- 1 root root      921 Dec  5 14:05 runs.jsonl
-rw-r--r-- 1 root root 58023936 Dec  5 14:05 scruple.db
-rw------- 1 root root       77 Dec  5 14:05 signing.key
-rw-r--r-- 1 root root       65 Dec  5 14:05 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 14:05 warc

/tmp/scruple-warcbench.sdMpCp/data/warc:
total 32632
-rw-r--r-- 1 root root  1779354 Dec  5 14:05 index.cdxj
-rw-r--r-- 1 root root 26569657 Dec  5 14:05 scruple-20261205140514498-00001-vm-16345.warc.gz
-rw-r--r-- 1 root root  5062312 Dec  5 14:05 scruple-20261205140514498-00001-vm-16345.warc.gz.idx
