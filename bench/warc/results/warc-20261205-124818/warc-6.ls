/tmp/scruple-warcbench.4BWc2a/data:
total 56692
-rw------- 1 root root       32 Dec  5 12:48 consent.key
-rw------- 1 root root        6 Dec  5 12:48 lock
-rw-r--r-- 1 root root      791 Dec  5 12:48 runs.jsonl
-rw-r--r-- 1 root root 58028032 Dec  5 12:48 scruple.db
-rw------- 1 root root       77 Dec  5 12:48 signing.key
-rw-r--r-- 1 root root       65 Dec  5 12:48 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 12:48 warc

/tmp/scruple-warcbench.4BWc2a/data/warc:
total 32632
-rw-r--r-- 1 root root  1779355 Dec  5 12:48 index.cdxj
-rw-r--r-- 1 root root 26570338 Dec  5 12:48 scruple-20261205124856497-00001-vm-27536.warc.gz
-rw-r--r-- 1 root root  5062247 Dec  5 12:48 scruple-20261205124856497-00001-vm-27536.warc.gz.idx
