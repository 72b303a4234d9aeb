/tmp/scruple-warcbench.NFMmxl/data:
total 56720
-rw------- 1 root root       32 Dec  5 15:07 consent.key
-rw------- 1 root root        5 Dec  5 15:07 lock
-rw-r--r-- 1 root root      920 Dec  5 15:07 runs.jsonl
-rw-r--r-- 1 root root 58052608 Dec  5 15:07 scruple.db
-rw------- 1 root root       77 Dec  5 15:07 signing.key
-rw-r--r-- 1 root root       65 Dec  5 15:07 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 15:07 warc

/tmp/scruple-warcbench.NFMmxl/data/warc:
total 32628
-rw-r--r-- 1 root root  1773334 Dec  5 15:07 index.cdxj
-rw-r--r-- 1 root root 26569378 Dec  5 15:07 scruple-20261205150708865-00001-vm-6781.warc.gz
-rw-r--r-- 1 root root  5062300 Dec  5 15:07 scruple-20261205150708865-00001-vm-6781.warc.gz.idx
