#!/usr/bin/env bash
# re2's +dfsg source drops the generated Unicode/Perl tables; regenerate them the
# way debian/rules does (make REBUILD_TABLES=1), from Debian's unicode-data.
# Runs in the unpacked source directory.
set -euo pipefail
perl re2/make_perl_groups.pl >re2/perl_groups.cc
python3 re2/make_unicode_groups.py >re2/unicode_groups.cc
python3 re2/make_unicode_casefold.py >re2/unicode_casefold.cc
