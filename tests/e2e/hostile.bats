#!/usr/bin/env bats
# Hostile hosts and bad input: odd /etc/subuid and /etc/subgid contents,
# callers without a name, broken helpers, user namespaces switched off, nsu
# installed with privileges, and variables meant to mislead it. Each test
# checks the real outcome: the exact maps, the exit status, the message.
#
# The tests rewrite /etc/subuid, /etc/subgid, /etc/passwd and /etc/group:
# these are the fixture's copies, private to its mount namespace, and each
# test puts them back as they were.

load helpers

FULL_ONE=("uid 0 61001 1" "uid 1 100000 65536" "gid 0 61001 1" "gid 1 100000 65536"
	"setgroups allow")
SINGLE_ONE=("uid 0 61001 1" "gid 0 61001 1" "setgroups deny")

ETC_FILES="subuid subgid passwd group"

test_setup() {
	local f
	mkdir -p "$BATS_TEST_TMPDIR/etc"
	for f in $ETC_FILES; do
		cp -a "/etc/$f" "$BATS_TEST_TMPDIR/etc/$f"
	done
}

test_teardown() {
	local f
	for f in $ETC_FILES; do
		rm -rf "/etc/$f"
		cp -a "$BATS_TEST_TMPDIR/etc/$f" "/etc/$f"
	done
}

# subids FILE LINE...: FILE (subuid or subgid) holds exactly these lines.
subids() {
	local f=/etc/$1
	shift
	printf '%s\n' "$@" >"$f"
	chmod 0644 "$f"
}

# assert_one_warning ERE...: stderr is a single "nsu: warning:" line that
# matches every ERE given.
assert_one_warning() {
	local re
	assert_eq "$(wc -l <<<"$stderr")" 1 "number of stderr lines (stderr: $stderr)"
	assert_match "$stderr" "^nsu: warning: " "stderr"
	for re in "$@"; do
		assert_match "$stderr" "$re" "the warning"
	done
}

# assert_refused ERE: nsu failed with 125 and one line "nsu: ..." matching
# ERE, printed nothing, and the command (touch $T/ran) did not run.
assert_refused() {
	assert_status 125
	assert_eq "$(wc -l <<<"$stderr")" 1 "number of stderr lines (stderr: $stderr)"
	assert_match "$stderr" "^nsu: " "stderr"
	assert_match "$stderr" "$1" "the message"
	assert_eq "$output" "" "stdout"
	[ ! -e "$T/ran" ] || flunk "the command ran"
}

# as_nameless CMD...: run CMD as uid and gid 4242, which have no passwd or
# group entry.
as_nameless() {
	setpriv --reuid=4242 --regid=4242 --clear-groups -- env -u SHELL HOME=/ "$@"
}

# --- malformed files ---------------------------------------------------------

@test "malformed lines, blank lines and comments around good ones: the good ranges are used" {
	local lines=("# subordinate ids" "nsu-x:abc:10" "nsu-x:10" "" "nsu-one:abc:10" "nsu-one:10"
		"nsu-one:-5:10" "nsu-one:200000:x" "nsu-one:200000:" "nsu-one::10" "   "
		"nsu-one:100000:65536" "#nsu-one:400000:10" "nsu-x:0:4294967295" "nsu-one:300000:100")
	subids subuid "${lines[@]}"
	subids subgid "${lines[@]}"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 65536" "uid 65537 300000 100" \
		"gid 0 61001 1" "gid 1 100000 65536" "gid 65537 300000 100" "setgroups allow")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "lines of other users, of a name's prefix or extension, are not used" {
	subids subuid "nsu-on:400000:10" "nsu-onex:400100:10" "NSU-ONE:400200:10" \
		"nsu-one:100000:65536" "nsu-two:400300:10" "61002:400400:10"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "64 KiB of binary garbage before a good line: the good range is used" {
	# Pseudo-random bytes from a fixed seed, without NUL: shadow's line
	# reader (libsubid's and newuidmap's alike) joins a line holding one to
	# the next.
	{
		LC_ALL=C awk 'BEGIN { srand(42); for (i = 0; i < 65536; i++) printf "%c", 1 + int(rand() * 255) }'
		printf '\nnsu-one:100000:65536\n'
	} >/etc/subuid
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps"
	assert_eq "$stderr" "" "stderr"
}

# --- ranges ----------------------------------------------------------------------

@test "overlapping, duplicate, contained and adjacent ranges merge into one map line" {
	subids subuid "nsu-one:101500:500" "nsu-one:100500:1000" "nsu-one:100000:1000" \
		"nsu-one:100000:1000" "nsu-one:100010:5"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 2000" \
		"gid 0 61001 1" "gid 1 100000 65536" "setgroups allow")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "1000 adjacent ranges (more lines than a map may have) merge into one line" {
	local i
	for ((i = 0; i < 1000; i++)); do
		echo "nsu-one:$((100000 + i * 65)):65"
	done >/etc/subuid
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 65000" \
		"gid 0 61001 1" "gid 1 100000 65536" "setgroups allow")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "a range of count 0 is ignored" {
	subids subuid "nsu-one:400000:0" "nsu-one:100000:65536" "nsu-one:500000:0"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps"
	assert_eq "$stderr" "" "stderr"

	# Only empty ranges: no range at all.
	subids subuid "nsu-one:400000:0"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "gid 0 61001 1" "gid 1 100000 65536" \
		"setgroups allow")" "maps"
	assert_one_warning "nsu-one has no range in /etc/subuid"
}

@test "a range running past 2^32 is clipped: the map ends at 4294967294" {
	subids subuid "nsu-one:4294967000:1000"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 4294967000 295" \
		"gid 0 61001 1" "gid 1 100000 65536" "setgroups allow")" "maps"
	assert_eq "$stderr" "" "stderr"

	# Ending one past the last id, after another range; the last id is usable.
	subids subuid "nsu-one:4294967286:10" "nsu-one:100000:10"
	run --separate-stderr nsu_as nsu-one -- sh -c \
		'cat /proc/self/uid_map | while read -r a b c; do echo "$a $b $c"; done
		 touch f && chown 19 f && stat -c %u f'
	assert_status 0
	assert_eq "$output" "$(printf '%s\n' "0 61001 1" "1 100000 10" "11 4294967286 9" 19)" \
		"uid map and owner inside"
	assert_eq "$(stat -c %u f)" 4294967294 "owner outside"
}

@test "a range holding the caller's own uid: the own id is cut out" {
	local r
	for r in "61000:10|uid 1 61000 1|uid 2 61002 8" "61001:10|uid 1 61002 9" \
		"60992:10|uid 1 60992 9"; do
		IFS='|' read -r -a want <<<"$r"
		subids subuid "nsu-one:${want[0]}"
		run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
		assert_status 0
		assert_eq "$output" "$(maps_lines "uid 0 61001 1" "${want[@]:1}" \
			"gid 0 61001 1" "gid 1 100000 65536" "setgroups allow")" "maps for nsu-one:${want[0]}"
		assert_eq "$stderr" "" "stderr for nsu-one:${want[0]}"
	done

	# A range of only the own id leaves nothing to map.
	subids subuid "nsu-one:61001:1"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "gid 0 61001 1" "gid 1 100000 65536" \
		"setgroups allow")" "maps for nsu-one:61001:1"
	assert_one_warning "mapping only uid 61001"
}

@test "nsu-grp (gid 61104, uid 61004): its own gid is cut from the gid ranges, not its uid" {
	subids subuid "nsu-grp:61100:10"
	subids subgid "nsu-grp:61100:10"
	run --separate-stderr nsu_as nsu-grp -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61004 1" "uid 1 61100 10" \
		"gid 0 61104 1" "gid 1 61100 4" "gid 5 61105 5" "setgroups allow")" "maps"
	assert_eq "$stderr" "" "stderr"

	# Its uid inside a gid range is nothing special.
	subids subgid "nsu-grp:61000:10"
	run --separate-stderr nsu_as nsu-grp -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61004 1" "uid 1 61100 10" \
		"gid 0 61104 1" "gid 1 61000 10" "setgroups allow")" "maps"
}

@test "more than 340 map lines: 125, a message saying 340 and what to do, nothing runs" {
	local i
	# 340 separate ranges plus the own id: 341 lines.
	for ((i = 0; i < 340; i++)); do
		echo "nsu-one:$((1000 + i * 2)):1"
	done >/etc/subuid
	run --separate-stderr nsu_as nsu-one -- touch "$T/ran"
	assert_refused "340"
	assert_match "$stderr" "/etc/subuid has too many separate ranges for nsu-one" "the message"
	assert_match "$stderr" "merge adjacent ranges in /etc/subuid" "the message"

	# The same for gids.
	cp /etc/subuid /etc/subgid
	subids subuid "nsu-one:100000:65536"
	run --separate-stderr nsu_as nsu-one -- touch "$T/ran"
	assert_refused "340 lines .* in a gid map; merge adjacent ranges in /etc/subgid"
}

@test "exactly 340 map lines are written" {
	local i
	for ((i = 0; i < 339; i++)); do
		echo "nsu-one:$((1000 + i * 2)):1"
	done >/etc/subuid
	run --separate-stderr nsu_as nsu-one -- cat /proc/self/uid_map
	assert_status 0
	assert_eq "$(wc -l <<<"$output")" 340 "number of uid map lines"
	assert_eq "$(awk 'NR == 1 || NR == 2 || NR == 340 { print $1, $2, $3 }' <<<"$output")" \
		"$(printf '%s\n' "0 61001 1" "1 1000 1" "339 1676 1")" "first and last lines"
	assert_eq "$stderr" "" "stderr"
}

@test "fewer than 340 lines but more than 4 KiB of map text: 125 and nothing runs" {
	local i
	for ((i = 0; i < 200; i++)); do
		echo "nsu-one:$((4000000000 + i * 100000)):99999"
	done >/etc/subuid
	run --separate-stderr nsu_as nsu-one -- touch "$T/ran"
	assert_refused "at most 340 lines \\(and 4 KiB\\).*merge adjacent ranges in /etc/subuid"
}

@test "a range keyed by the numeric uid (61001:700000:10) counts for nsu-one" {
	subids subuid "nsu-one:100000:65536" "61001:700000:10"
	subids subgid "61001:700000:10"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 65536" "uid 65537 700000 10" \
		"gid 0 61001 1" "gid 1 700000 10" "setgroups allow")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "subordinate uids but no gids: full uid map, single gid map, setgroups deny, one warning" {
	subids subgid "nsu-two:200000:1000"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 65536" \
		"gid 0 61001 1" "setgroups deny")" "maps"
	assert_one_warning "^nsu: warning: mapping only gid 61001 \\(setgroups denied\\): " \
		"nsu-one has no range in /etc/subgid" "usermod --add-subgids FIRST-LAST nsu-one"
	assert_no_match "$stderr" "subuid" "the warning"
}

@test "no /etc/subgid at all: single gid map, and the warning names /etc/subgid" {
	rm /etc/subgid
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 65536" \
		"gid 0 61001 1" "setgroups deny")" "maps"
	assert_one_warning "mapping only gid 61001" "/etc/subgid"
}

@test "an /etc/subuid the caller cannot read: single uid map, and the warning names /etc/subuid" {
	chmod 0600 /etc/subuid
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "gid 0 61001 1" "gid 1 100000 65536" \
		"setgroups allow")" "maps"
	assert_one_warning "mapping only uid 61001" "/etc/subuid"
}

@test "a second passwd entry with the caller's uid: the ranges of the first name are used" {
	echo "nsu-alias:x:61001:61001:nsu test:/home/nsu-one:/bin/sh" >>/etc/passwd
	subids subuid "nsu-alias:700000:10" "nsu-one:100000:65536"
	subids subgid "nsu-alias:700000:10"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 65536" \
		"gid 0 61001 1" "setgroups deny")" "maps"
	assert_one_warning "nsu-one has no range in /etc/subgid"
}

# --- callers without a name ------------------------------------------------------

@test "uid 4242 without a passwd entry or ranges: single-ID maps and one warning" {
	run --separate-stderr as_nameless "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 4242 1" "gid 0 4242 1" "setgroups deny")" "maps"
	assert_one_warning "mapping only uid 4242 and gid 4242 \\(setgroups denied\\)" \
		"4242 has no subordinate ids in /etc/subuid and /etc/subgid"
}

@test "uid 4242 with numeric 4242: lines: newuidmap refuses a nameless caller, nsu falls back and says why" {
	subids subuid "nsu-one:100000:65536" "4242:800000:1000"
	subids subgid "nsu-one:100000:65536" "4242:800000:1000"
	run --separate-stderr as_nameless "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 4242 1" "gid 0 4242 1" "setgroups deny")" "maps"
	assert_one_warning "mapping only uid 4242 and gid 4242" \
		"/usr/bin/newuidmap failed: newuidmap: Cannot determine your user name" \
		"/usr/bin/newgidmap failed: newgidmap: Cannot determine your user name"
}

@test "uid 4242: following the warning's advice gives it its subordinate ranges" {
	local line range
	run --separate-stderr as_nameless "$NSU" -- true
	assert_status 0
	if [[ $stderr =~ add\ a\ line\ (4242:[0-9]+:[0-9]+)\ to\ /etc/subuid ]]; then
		line=${BASH_REMATCH[1]}
		range=${line#4242:}
		range=${range/:/ }
		echo "$line" >>/etc/subuid
		echo "$line" >>/etc/subgid
		run --separate-stderr as_nameless "$NSU" -- "${MAPS[@]}"
		assert_status 0
		assert_eq "$output" "$(maps_lines "uid 0 4242 1" "uid 1 $range" \
			"gid 0 4242 1" "gid 1 $range" "setgroups allow")" \
			"maps after adding the advised line $line (stderr: $stderr)"
	else
		# newuidmap needs a user name: the advice must be to give it one.
		assert_match "$stderr" "passwd|useradd|user name" "the advice"
	fi
}

# --- broken helpers ----------------------------------------------------------------

# no_helpers USER CMD...: run CMD as USER with /usr/bin replaced by a directory
# holding only the programs the tests need: no newuidmap, no newgidmap.
no_helpers() {
	local b
	mkdir -p "$T/usr-bin"
	for b in sh setpriv id cat; do
		cp -L "/usr/bin/$b" "$T/usr-bin/$b"
	done
	with_binds "$T/usr-bin:/usr/bin" "$@"
}

# Not under valgrind: /usr/bin is replaced, and perl and valgrind with it
# bats test_tags=no-valgrind
@test "newuidmap and newgidmap not installed: fallback, and the warning names both and the package" {
	run --separate-stderr no_helpers nsu-one "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_one_warning "mapping only uid 61001 and gid 61001 \\(setgroups denied\\)" \
		"/usr/bin/newuidmap is not installed" "/usr/bin/newgidmap is not installed" "uidmap"
}

# Not under valgrind: nsu's posix_spawn() cannot report a failed exec of a helper under valgrind
# bats test_tags=no-valgrind
@test "newuidmap = /nonexistent in NSU_CONFIG: fallback, and the warning names /nonexistent" {
	printf '[mapping]\nnewuidmap = /nonexistent\n' >nsu.conf
	chmod 0644 nsu.conf
	run --separate-stderr as_user nsu-one env NSU_CONFIG="$T/nsu.conf" "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "gid 0 61001 1" "gid 1 100000 65536" \
		"setgroups allow")" "maps"
	assert_one_warning "^nsu: warning: mapping only uid 61001: /nonexistent does not exist \\(set at $T/nsu.conf:2; the usual helper is /usr/bin/newuidmap\\)"
}

@test "newuidmap and newgidmap without their setuid bit: fallback, and the warning says so for both" {
	cp /usr/bin/newuidmap /usr/bin/newgidmap .
	chmod 0755 newuidmap newgidmap
	run --separate-stderr with_binds "$T/newuidmap:/usr/bin/newuidmap $T/newgidmap:/usr/bin/newgidmap" \
		nsu-one "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_one_warning "/usr/bin/newuidmap is neither setuid root nor has file capabilities" \
		"/usr/bin/newgidmap is neither setuid root nor has file capabilities"
}

@test "newuidmap and newgidmap failing with EPERM: fallback, and the warning quotes their errors" {
	local k
	for k in uid gid; do
		printf '#!/bin/sh\necho "new%smap: write to %s_map failed: Operation not permitted" >&2\nexit 1\n' \
			"$k" "$k" >"new${k}map"
		chmod 4755 "new${k}map"
	done
	run --separate-stderr with_binds "$T/newuidmap:/usr/bin/newuidmap $T/newgidmap:/usr/bin/newgidmap" \
		nsu-one "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_one_warning \
		"/usr/bin/newuidmap failed: newuidmap: write to uid_map failed: Operation not permitted" \
		"/usr/bin/newgidmap failed: newgidmap: write to gid_map failed: Operation not permitted"
}

@test "no_new_privs: fallback, and the warning names no_new_privs" {
	run --separate-stderr as_user nsu-one setpriv --no-new-privs -- "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_one_warning "mapping only uid 61001 and gid 61001" "no_new_privs is set"
}

# --- user namespaces disabled ---------------------------------------------------------

# Not under valgrind: memcheck itself dies of SIGSEGV without a report for nsu in a user namespace without maps, for some sizes of the environment (nsu alone and valgrind --tool=none do not)
# bats test_tags=no-valgrind
@test "user namespaces disabled (user.max_user_namespaces = 0): 125 and the sysctl to run" {
	run --separate-stderr as_user nsu-one unshare -U -r sh -c \
		'echo 0 >/proc/sys/user/max_user_namespaces &&
		 exec setpriv --bounding-set=-all "$0" -- touch "$1/ran"' "$NSU" "$T"
	assert_refused "^nsu: cannot create a user namespace: user namespaces are disabled.*sysctl -w user\\.max_user_namespaces="
}

# Not under valgrind: memcheck itself dies of SIGSEGV without a report for nsu in a user namespace without maps, for some sizes of the environment (nsu alone and valgrind --tool=none do not)
# bats test_tags=no-valgrind
@test "in a user namespace without maps: 125 and a message naming the unmapped namespace" {
	# unshare --user without --map-root-user: the kernel refuses a nested
	# namespace to a process whose ids are not mapped where it runs.
	run --separate-stderr as_user nsu-one unshare --user "$NSU" -- touch "$T/ran"
	assert_refused "^nsu: cannot create a user namespace: "
	assert_match "$stderr" "map" "the message"
	assert_no_match "$stderr" "chroot|seccomp" "the message"
}

# --- nsu installed with privileges -----------------------------------------------------

# Not under valgrind: the kernel honours no setuid, setgid or file capability of a program that valgrind runs (and a copy of $NSU is the script that starts valgrind)
# bats test_tags=no-valgrind
@test "nsu installed setuid root: 125 and a message, for users and root, even for --version" {
	install -m 4755 -o root -g root "$NSU" nsu-suid
	run --separate-stderr as_user nsu-one "$T/nsu-suid" -- touch "$T/ran"
	assert_refused "setuid"
	run --separate-stderr as_user nsu-one "$T/nsu-suid" --version
	assert_refused "setuid"
	run --separate-stderr "$T/nsu-suid" -- touch "$T/ran"
	assert_refused "setuid.*chmod u-s"
}

# Not under valgrind: the kernel honours no setuid, setgid or file capability of a program that valgrind runs (and a copy of $NSU is the script that starts valgrind)
# bats test_tags=no-valgrind
@test "nsu installed setuid to another user: 125 and a message" {
	install -m 4755 -o nsu-two -g nsu-two "$NSU" nsu-suid
	run --separate-stderr as_user nsu-one "$T/nsu-suid" -- touch "$T/ran"
	assert_refused "setuid"
}

# Not under valgrind: the kernel honours no setuid, setgid or file capability of a program that valgrind runs (and a copy of $NSU is the script that starts valgrind)
# bats test_tags=no-valgrind
@test "nsu installed setgid: 125 and a message, for users and root" {
	install -m 2755 -o root -g root "$NSU" nsu-sgid
	run --separate-stderr as_user nsu-one "$T/nsu-sgid" -- touch "$T/ran"
	assert_refused "setgid"
	run --separate-stderr "$T/nsu-sgid" -- touch "$T/ran"
	assert_refused "setgid"
}

# Not under valgrind: the kernel honours no setuid, setgid or file capability of a program that valgrind runs (and a copy of $NSU is the script that starts valgrind)
# bats test_tags=no-valgrind
@test "nsu with file capabilities: 125 and a message, for users and root" {
	need setcap
	cp "$NSU" nsu-caps
	setcap cap_sys_admin+ep nsu-caps
	run --separate-stderr as_user nsu-one "$T/nsu-caps" -- touch "$T/ran"
	assert_refused "file capabilities"
	run --separate-stderr "$T/nsu-caps" -- touch "$T/ran"
	assert_refused "file capabilities.*setcap -r"

	# Inheritable only: nothing gained, but still not how nsu is installed.
	cp "$NSU" nsu-icaps
	setcap cap_net_bind_service+i nsu-icaps
	run --separate-stderr as_user nsu-one "$T/nsu-icaps" -- touch "$T/ran"
	assert_refused "file capabilities"
}

# --- variables ------------------------------------------------------------------------

@test "_CONTAINERS_USERNS_CONFIGURED=done and _CONTAINERS_ROOTLESS_UID=0 do not skip the namespace" {
	local vars=(_CONTAINERS_USERNS_CONFIGURED=done _CONTAINERS_ROOTLESS_UID=0
		_CONTAINERS_ROOTLESS_GID=0)
	run --separate-stderr as_user nsu-one env "${vars[@]}" "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps"
	assert_eq "$stderr" "" "stderr"

	run --separate-stderr as_user nsu-one env "${vars[@]}" "$NSU" -- sh -c \
		'readlink /proc/self/ns/user; env | grep ^_CONTAINERS_ | LC_ALL=C sort'
	assert_status 0
	[ "${lines[0]}" != "$(readlink /proc/self/ns/user)" ] || flunk "no new user namespace"
	assert_eq "$(printf '%s\n' "${lines[@]:1}")" "$(printf '%s\n' _CONTAINERS_ROOTLESS_GID=61001 \
		_CONTAINERS_ROOTLESS_UID=61001 _CONTAINERS_USERNS_CONFIGURED=done)" "variables"
}

@test "a forged _NSU_INNER_STAGE in any form is ignored: full map, stdin left to the command" {
	local m v
	local forms=("0,1,PARENT,0,0" "0,1,PARENT,61001,61001" "0,1,PARENT,4294967294,4294967294"
		"00,01,PARENT,00,00" "0,1,PARENT,0,0," "0,1,PARENT,0,0 " " 0,1,PARENT,0,0"
		"+0,1,PARENT,0,0" "0,1,PARENT,0,0,0" "0,1,PARENT,0" "0,1,PARENT" $'0,1,PARENT,0,0\n'
		"1,0,PARENT,0,0" "0,0,PARENT,0,0" "1,1,PARENT,0,0" "7,8,PARENT,0,0" "0,1,1,0,0"
		"0,1,0,0,0" "0,1,PARENT,0,4294967295" "0,1,PARENT,-1,-1" "0,1,-PARENT,0,0"
		"0,1,99999999999999999999,0,0" "0x0,0x1,PARENT,0,0" "garbage" "")
	for m in "${forms[@]}"; do
		rm -f out err rc
		# nsu is a child of the shell, with pipes as stdin and stdout: the
		# marker names them and that shell, as the real one would.
		as_user nsu-one bash -c '
			marker=${1//PARENT/$$}
			shift
			echo x | _NSU_INNER_STAGE=$marker "$NSU" -- "$@" 2>err | cat >out
			echo "${PIPESTATUS[1]}" >rc' - "$m" \
			sh -c 'read -r l; echo "stdin $l"; echo "marker ${_NSU_INNER_STAGE-unset}"; exec "$@"' \
			- "${MAPS[@]}"
		v=$(printf %q "$m")
		assert_eq "$(cat rc)" 0 "exit status with _NSU_INNER_STAGE=$v (stderr: $(cat err))"
		assert_eq "$(cat out)" "$(maps_lines "stdin x" "marker unset" "${FULL_ONE[@]}")" \
			"stdout with _NSU_INNER_STAGE=$v"
		assert_eq "$(cat err)" "" "stderr with _NSU_INNER_STAGE=$v"
	done
}

# Not under valgrind: memcheck itself dies of SIGSEGV without a report for nsu in a user namespace without maps, for some sizes of the environment (nsu alone and valgrind --tool=none do not)
# bats test_tags=no-valgrind
@test "a forged _NSU_INNER_STAGE in a user namespace without maps: ignored like elsewhere" {
	# Where nsu cannot work at all (its ids are unmapped), a marker naming its
	# stdin, stdout and parent (this shell: no wrapper in between) must not
	# make it read, write or wait: it ends as it does without the marker.
	as_user nsu-one timeout 20 unshare --user bash -c '
		outcome() { # outcome [MARKER]: what nsu -- true does, on one line
			local rc
			rc=$(echo x | {
				parent=$BASHPID # the shell that starts nsu
				if [ -n "$1" ]; then
					_NSU_INNER_STAGE=${1//PARENT/$parent} "$NSU" -- true 2>err | cat >out
				else
					"$NSU" -- true 2>err | cat >out
				fi
				echo "${PIPESTATUS[0]}"
				read -r left
				echo "stdin left: ${left:-nothing}" >&2
			} 2>left)
			echo "exit status $rc; $(cat left); stdout: $(wc -c <out) bytes; stderr: $(cat err)"
		}
		outcome >plain
		outcome 0,1,PARENT,0,0 >forged'
	assert_match "$(cat plain)" "^exit status 125; stdin left: x; stdout: 0 bytes; stderr: nsu: cannot create a user namespace" \
		"outcome without a marker"
	assert_eq "$(cat forged)" "$(cat plain)" "outcome with a forged marker"
}

# assert_within_ranges: $status is 0 and every map line of $output (MAPS) is
# nsu-one's own id or inside its range 100000:65536; or $status is 125 with
# a message and the command did not run.
assert_within_ranges() {
	local kind inside outside count
	if [ "$status" = 125 ]; then
		assert_match "$stderr" "^nsu: " "stderr with exit status 125"
		[ ! -e "$T/ran" ] || flunk "the command ran"
		return
	fi
	assert_status 0
	while read -r kind inside outside count; do
		[ "$kind" = setgroups ] && continue
		if [ "$outside" = 61001 ] && [ "$count" = 1 ]; then
			continue
		fi
		((outside >= 100000 && outside + count <= 165536)) ||
			flunk "$kind map line '$inside $outside $count' is outside nsu-one's ids" "maps: $output"
	done <<<"$output"
}

@test "NSU_CONFIG with newuidmap = /bin/sh: nothing beyond the user's ranges, fallback" {
	printf '[mapping]\nnewuidmap = /bin/sh\nnewgidmap = /bin/sh\n' >nsu.conf
	chmod 0644 nsu.conf
	run --separate-stderr as_user nsu-one env NSU_CONFIG="$T/nsu.conf" "$NSU" -- "${MAPS[@]}"
	assert_within_ranges
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_one_warning "/bin/sh is not a setuid newuidmap/newgidmap \\(set at $T/nsu.conf:2; the usual helper is /usr/bin/newuidmap\\)" \
		"/bin/sh is not a setuid newuidmap/newgidmap \\(set at $T/nsu.conf:3; the usual helper is /usr/bin/newgidmap\\)"
	# Never the advice to make such a file setuid.
	assert_no_match "$stderr" "chmod" "the warning"
}

@test "NSU_CONFIG with helpers of the user's own: never a map beyond the user's ids" {
	local k conf
	# Helpers that try to map every id, root included, and claim success.
	for k in uid gid; do
		printf '#!/bin/sh\necho "0 0 4294967295" >/proc/$1/%s_map 2>/dev/null\nexit 0\n' "$k" >"evil-$k"
		chmod 0755 "evil-$k"
	done
	for conf in "newuidmap = $T/evil-uid|newgidmap = $T/evil-gid" \
		"newuidmap = /usr/bin/newgidmap|newgidmap = /usr/bin/newuidmap" \
		"newuidmap = /usr/bin/env|newgidmap = /usr/bin/true"; do
		printf '[mapping]\n%s\n' "${conf//|/$'\n'}" >nsu.conf
		chmod 0644 nsu.conf
		rm -f ran
		run --separate-stderr as_user nsu-one env NSU_CONFIG="$T/nsu.conf" "$NSU" -- \
			sh -c 'touch "$0/ran"; exec "$@"' "$T" "${MAPS[@]}"
		assert_within_ranges
	done
}

# --- host root in a range, helpers short of processes, subid backends -----------

@test "a range that holds id 0: 0 is left out of the map, with a warning" {
	subids subuid "nsu-one:0:10" "nsu-one:100000:65536"
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 1 9" "uid 10 100000 65536" \
		"gid 0 61001 1" "gid 1 100000 65536" "setgroups allow")" "maps"
	assert_one_warning "^nsu: warning: the subordinate uid ranges of nsu-one in /etc/subuid include uid 0, root of the host; nsu leaves it out of the map "
	# Nor can --uidmap reach it through that range.
	run --separate-stderr nsu_as nsu-one --uidmap 0:61001:1,1:0:1 -- true
	assert_status 125
	assert_match "$stderr" "^nsu: --uidmap: outside ids 0-0 \\(of 1:0:1\\) are neither your own id nor in your subordinate ranges" "stderr"
}

@test "--print-mappings shows the range without 0, and warns" {
	subids subgid "nsu-one:0:1000"
	run --separate-stderr nsu_as nsu-one --print-mappings
	assert_status 0
	assert_has_line "$output" "         1          1        999" "gid map line"
	assert_one_warning "subordinate gid ranges of nsu-one in /etc/subgid include gid 0"
}

@test "subid: sss in nsswitch.conf without the module: no crash, the files' ranges" {
	echo "subid: sss" >>/etc/nsswitch.conf
	run --separate-stderr nsu_as nsu-one -- "${MAPS[@]}"
	sed -i '/^subid: sss$/d' /etc/nsswitch.conf
	assert_status 0
	assert_eq "$output" "$(maps_lines "${FULL_ONE[@]}")" "maps"
}

@test "one process short for the second helper (RLIMIT_NPROC): it is tried again, both maps full" {
	# A user of this test's own, so that no other process counts against its limit:
	# nsu, its child and one helper fit in 3; the second helper waits its turn.
	echo "nsu-nproc:x:61077:61077::/:/bin/sh" >>/etc/passwd
	echo "nsu-nproc:x:61077:" >>/etc/group
	echo "nsu-nproc:400000:65536" >>/etc/subuid
	echo "nsu-nproc:400000:65536" >>/etc/subgid
	run --separate-stderr as_user nsu-nproc prlimit --nproc=3 "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61077 1" "uid 1 400000 65536" \
		"gid 0 61077 1" "gid 1 400000 65536" "setgroups allow")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "a configured helper others may write is not run: fallback, and the warning says why" {
	printf '#!/bin/sh\ntouch "%s/helper-ran"\nexec /usr/bin/newuidmap "$@"\n' "$T" >helper
	chmod 0775 helper
	printf '[mapping]\nnewuidmap = %s/helper\n' "$T" >nsu.conf
	chmod 0644 nsu.conf
	run --separate-stderr as_user nsu-one env NSU_CONFIG="$T/nsu.conf" "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "gid 0 61001 1" "gid 1 100000 65536" \
		"setgroups allow")" "maps"
	assert_one_warning "^nsu: warning: mapping only uid 61001: $T/helper \\(set at $T/nsu.conf:2\\) is not run: $T/helper is writable by group or others \\(chmod go-w $T/helper\\)"
	[ ! -e helper-ran ] || flunk "the helper ran"
}
