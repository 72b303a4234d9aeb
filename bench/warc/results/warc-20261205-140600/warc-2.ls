/tmp/scruple-warcbench.5jNM7y/data:
total 56688
-rw------- 1 root root       32 Dec  5 14:21 consent.key
-rw------- 1 root root        5 Dec  5 14:21 lock
-rw-r--r-- 1 root root      921 Dec  5 14:21 runs.jsonl
-rw-r--r-- 1 root root 58019840 Dec  5 14:21 scruple.db
-rw------- 1 root root       77 Dec  5 14:21 signing.key
-rw-r--r-- 1 root root       65 Dec  5 14:21 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 14:21 warc

/tmp/scruple-warcbench.5jNM7y/data/warc:
total 32628
-rw-r--r-- 1 root root  1773334 Dec  5 14:21 index.cdxj
-rw-r--r-- 1 root root 26567543 Dec  5 14:21 scruple-20261205142101690-00001-vm-1388.warc.gz
-rw-r--r-- 1 root root  5062188 Dec  5 14:21 scruple-20261205142101690-00001-vm-1388.warc.gz.idx
