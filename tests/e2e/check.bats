#!/usr/bin/env bats
# nsu --check: one line per check (OK, WARN or FAIL, each non-OK line with
# its fix), a real trial run, and the exit status 0 (the full mapping works),
# 1 (only the single-ID map works) or 2 (nothing works).

load helpers

test_setup() {
	unset NSU_CONFIG XDG_CONFIG_HOME
	SUBUID_SAVED=
	SUBGID_SAVED=
}

test_teardown() {
	if [ -n "$SUBUID_SAVED" ]; then
		cat "$SUBUID_SAVED" >/etc/subuid
		chmod 0644 /etc/subuid
	fi
	if [ -n "$SUBGID_SAVED" ]; then
		cat "$SUBGID_SAVED" >/etc/subgid
		chmod 0644 /etc/subgid
	fi
}

# save_subids: restore /etc/subuid and /etc/subgid after the test.
save_subids() {
	SUBUID_SAVED=$T/subuid.saved
	SUBGID_SAVED=$T/subgid.saved
	cp /etc/subuid "$SUBUID_SAVED"
	cp /etc/subgid "$SUBGID_SAVED"
}

# accounts_in DB FIRST LAST: how many entries of DB (passwd or group) have
# an id from FIRST to LAST, then "name id, name id, name id[, ...]" of the
# first three by id, as --check names them.
accounts_in() {
	getent "$1" | awk -F: -v lo="$2" -v hi="$3" '$3 >= lo && $3 <= hi { print $3, $1 }' |
		sort -s -n -k1,1 | awk '
		{ n++; if (n <= 3) list = list (n > 1 ? ", " : "") $2 " " $1; else if (n == 4) list = list ", ..." }
		END { print n; print list }'
}

# assert_check_format: every line of $output is "OK  ", "WARN" or "FAIL",
# two spaces and a text; every WARN and FAIL line says how to fix it.
assert_check_format() {
	local l
	[ -n "$output" ] || flunk "no output"
	while IFS= read -r l; do
		assert_match "$l" "^(OK  |WARN|FAIL)  [^ ]" "line"
		if [[ $l != "OK  "* ]]; then
			assert_match "$l" "; fix: [^ ]" "non-OK line"
		fi
	done <<<"$output"
}

# assert_all_ok: every line is an OK line.
assert_all_ok() {
	local l
	while IFS= read -r l; do
		[[ $l == "OK    "* ]] || flunk "a line is not OK: $l" "output: $output"
	done <<<"$output"
}

@test "nsu-one: exit 0, every check OK, the trial maps the full ranges" {
	run --separate-stderr nsu_as nsu-one --check
	assert_status 0
	assert_eq "$stderr" "" "stderr"
	assert_check_format
	assert_all_ok
	assert_eq "${lines[0]}" "OK    user nsu-one: uid 61001, gid 61001" "line 1"
	assert_has_line "$output" "OK    subordinate uids: 100000-165535 (65536 ids) via files"
	assert_has_line "$output" "OK    subordinate gids: 100000-165535 (65536 ids) via files"
	assert_has_line "$output" "OK    /usr/bin/newuidmap is setuid root"
	assert_has_line "$output" "OK    /usr/bin/newgidmap is setuid root"
	assert_has_line "$output" "OK    no_new_privs is not set"
	assert_has_line "$output" "OK    running in the initial user namespace"
	assert_line_match "$output" "^OK    user\\.max_user_namespaces = [1-9][0-9]*$"
	assert_eq "${lines[-1]}" "OK    trial: the full mapping works (2 uid and 2 gid map lines written)" \
		"last line"
}

@test "nsu-two: both ranges listed, three map lines in the trial" {
	run --separate-stderr nsu_as nsu-two --check
	assert_status 0
	assert_check_format
	assert_has_line "$output" "OK    subordinate uids: 200000-200999, 300000-301999 (3000 ids) via files"
	assert_has_line "$output" "OK    subordinate gids: 200000-200999, 300000-301999 (3000 ids) via files"
	assert_eq "${lines[-1]}" "OK    trial: the full mapping works (3 uid and 3 gid map lines written)" \
		"last line"
}

@test "--check runs nothing: a command after it is an error" {
	run --separate-stderr nsu_as nsu-one --check -- touch "$T/ran"
	assert_status 125
	assert_eq "$stderr" "nsu: option '--check' runs no command, but 'touch' was given" "stderr"
	[ ! -e ran ] || flunk "the command ran"
}

@test "nsu-none: exit 1, FAIL lines with usermod, the trial only gets a single-ID map" {
	run --separate-stderr nsu_as nsu-none --check
	assert_status 1
	assert_eq "$stderr" "" "stderr"
	assert_check_format
	assert_has_line "$output" "FAIL  subordinate uids: nsu-none has none in /etc/subuid (via files); fix: usermod --add-subuids FIRST-LAST nsu-none, with 65536 ids that no other user has (see /etc/subuid)"
	assert_has_line "$output" "FAIL  subordinate gids: nsu-none has none in /etc/subgid (via files); fix: usermod --add-subgids FIRST-LAST nsu-none, with 65536 ids that no other user has (see /etc/subgid)"
	assert_has_line "$output" "OK    /usr/bin/newuidmap is setuid root"
	assert_match "${lines[-1]}" "^WARN  trial: only the single-ID map works: nsu-none has no range in /etc/subuid" \
		"last line"
}

@test "an empty subordinate range: WARN, the other ranges still work" {
	SUBUID_SAVED=$T/subuid.saved
	cp /etc/subuid "$SUBUID_SAVED"
	echo "nsu-two:400000:0" >>/etc/subuid
	run --separate-stderr nsu_as nsu-two --check
	assert_status 0
	assert_check_format
	assert_has_line "$output" "WARN  subordinate uids: 200000-200999, 300000-301999 (3000 ids) via files; some lines are empty or out of range; fix: correct the lines of this user"
}

@test "more ranges than a map can hold: FAIL, and the trial fails: exit 2" {
	SUBUID_SAVED=$T/subuid.saved
	cp /etc/subuid "$SUBUID_SAVED"
	local i
	for i in $(seq 0 340); do
		echo "nsu-none:$((1000000 + i * 10)):5"
	done >>/etc/subuid
	run --separate-stderr nsu_as nsu-none --check
	assert_status 2
	assert_check_format
	assert_has_line "$output" "FAIL  subordinate uids: 341 ranges, more than a map can hold (340 lines); fix: merge adjacent ranges"
	assert_match "${lines[-1]}" "^FAIL  trial: nothing works: /etc/subuid has too many separate ranges for nsu-none" \
		"last line"
}

@test "newuidmap and newgidmap without their setuid bit: FAIL with the fix, exit 1" {
	cp /usr/bin/newuidmap newuidmap
	cp /usr/bin/newgidmap newgidmap
	chmod 0755 newuidmap newgidmap
	run --separate-stderr with_binds "$T/newuidmap:/usr/bin/newuidmap $T/newgidmap:/usr/bin/newgidmap" \
		nsu-one "$NSU" --check
	assert_status 1
	assert_check_format
	assert_has_line "$output" "OK    subordinate uids: 100000-165535 (65536 ids) via files"
	assert_has_line "$output" "FAIL  /usr/bin/newuidmap is neither setuid root nor has file capabilities; fix: reinstall it: apt-get install --reinstall uidmap"
	assert_has_line "$output" "FAIL  /usr/bin/newgidmap is neither setuid root nor has file capabilities; fix: reinstall it: apt-get install --reinstall uidmap"
	assert_match "${lines[-1]}" "^WARN  trial: only the single-ID map works: .*/usr/bin/newuidmap" "last line"
}

@test "only newgidmap broken: one FAIL line, the trial falls back: exit 1" {
	run --separate-stderr with_binds "/bin/false:/usr/bin/newgidmap" nsu-one "$NSU" --check
	assert_status 1
	assert_check_format
	assert_has_line "$output" "OK    /usr/bin/newuidmap is setuid root"
	assert_line_match "$output" "^FAIL  /usr/bin/newgidmap is neither setuid root"
	assert_match "${lines[-1]}" "^WARN  trial: only the single-ID map works: " "last line"
}

@test "the helpers of the configuration are checked: a missing one is a FAIL naming the package" {
	printf '[mapping]\nnewuidmap = /nonexistent/newuidmap\n' >c.conf
	chmod 0644 c.conf
	run --separate-stderr as_user nsu-one env NSU_CONFIG="$T/c.conf" "$NSU" --check
	assert_status 1
	assert_check_format
	assert_has_line "$output" "FAIL  /nonexistent/newuidmap: No such file or directory (set at $T/c.conf:2); fix: set it to shadow-utils' helper (/usr/bin/newuidmap) at $T/c.conf:2, or remove that setting"
	assert_has_line "$output" "OK    /usr/bin/newgidmap is setuid root"
	assert_match "${lines[-1]}" "^WARN  trial: only the single-ID map works: .*/nonexistent/newuidmap" "last line"
}

@test "no ranges and both helpers broken: FAIL lines for each, the single-ID map still works" {
	run --separate-stderr with_binds "/bin/false:/usr/bin/newuidmap /bin/false:/usr/bin/newgidmap" \
		nsu-none "$NSU" --check
	assert_status 1
	assert_check_format
	assert_line_match "$output" "^FAIL  subordinate uids: .*usermod --add-subuids"
	assert_line_match "$output" "^FAIL  subordinate gids: .*usermod --add-subgids"
	assert_line_match "$output" "^FAIL  /usr/bin/newuidmap is neither setuid root"
	assert_line_match "$output" "^FAIL  /usr/bin/newgidmap is neither setuid root"
	assert_match "${lines[-1]}" "^WARN  trial: only the single-ID map works" "last line"
}

# Not under valgrind: memcheck itself dies of SIGSEGV without a report for nsu in a user namespace without maps, for some sizes of the environment (nsu alone and valgrind --tool=none do not)
# bats test_tags=no-valgrind
@test "user namespaces disabled: a FAIL line with the sysctl, the trial fails: exit 2" {
	# In a user namespace of its own, nsu-one may set its limit to 0; nsu
	# then runs there as uid 0 without CAP_SYS_ADMIN.
	run --separate-stderr as_user nsu-one unshare -U -r sh -c \
		'echo 0 >/proc/sys/user/max_user_namespaces && exec setpriv --bounding-set=-all "$0" --check' "$NSU"
	assert_status 2
	assert_check_format
	assert_has_line "$output" "FAIL  user namespaces are disabled (user.max_user_namespaces = 0); fix: sysctl -w user.max_user_namespaces=15000 (persist it in /etc/sysctl.d/)"
	assert_has_line "$output" "WARN  already inside a user namespace (nested); fix: none needed if this is intended; the ranges must then be mapped in this namespace too"
	assert_match "${lines[-1]}" "^FAIL  trial: nothing works: cannot create a user namespace: .*user\\.max_user_namespaces" \
		"last line"
}

@test "no_new_privs: a WARN line, the trial falls back: exit 1" {
	run --separate-stderr as_user nsu-one setpriv --no-new-privs -- "$NSU" --check
	assert_status 1
	assert_check_format
	assert_has_line "$output" "WARN  no_new_privs is set: newuidmap and newgidmap cannot use their setuid bit; fix: run nsu from a process without no_new_privs (not under setpriv --no-new-privs, NoNewPrivileges=yes or a container that sets it)"
	assert_match "${lines[-1]}" "^WARN  trial: only the single-ID map works: no_new_privs" "last line"
}

@test "no_new_privs: the trial line gives each reason once" {
	run --separate-stderr as_user nsu-one setpriv --no-new-privs -- "$NSU" --check
	assert_status 1
	local last=${lines[-1]}
	local rest=${last#*no_new_privs is set on this process}
	assert_no_match "$rest" "no_new_privs is set on this process" "trial line"
}

@test "as root: exit 0, the root with CAP_SYS_ADMIN line, then the host for unprivileged users" {
	run --separate-stderr "$NSU" --check
	assert_status 0
	assert_eq "$stderr" "" "stderr"
	assert_check_format
	assert_all_ok
	assert_eq "${lines[0]}" "OK    user root: uid 0, gid 0" "line 1"
	assert_eq "${lines[1]}" "OK    root with CAP_SYS_ADMIN: nsu runs commands in a private mount namespace, without a new user namespace" "line 2"
	assert_has_line "$output" "OK    /usr/bin/newuidmap is setuid root"
	assert_has_line "$output" "OK    /usr/bin/newgidmap is setuid root"
	assert_line_match "$output" "^OK    user\\.max_user_namespaces = [1-9][0-9]*$"
	# nsu-one, nsu-two (two lines each) and nsu-grp.
	assert_has_line "$output" "OK    subordinate uids: 3 users have ranges (via files)"
	assert_has_line "$output" "OK    subordinate gids: 3 users have ranges (via files)"
	assert_eq "${lines[-1]}" "OK    unprivileged users with subordinate ranges get the full mapping (3 users have ranges); others get the single-ID map" "last line"
}

@test "inside nsu: root with CAP_SYS_ADMIN too" {
	run --separate-stderr nsu_as nsu-one -- "$NSU" --check
	assert_status 0
	assert_has_line "$output" "OK    root with CAP_SYS_ADMIN: nsu runs commands in a private mount namespace, without a new user namespace"
}

@test "a uid without a passwd entry: WARN, and advice that works without a user name" {
	run --separate-stderr setpriv --reuid=61009 --regid=61009 --clear-groups -- \
		env HOME=/ "$NSU" --check
	assert_status 1
	assert_check_format
	assert_eq "${lines[0]}" "WARN  uid 61009 has no passwd entry: newuidmap and newgidmap refuse a caller without a user name; fix: create a user for this uid (useradd)" "line 1"
	assert_line_match "$output" "^FAIL  subordinate uids: 61009 has none in /etc/subuid"
	# usermod needs a user name, and so do the helpers: the fix creates one.
	assert_no_match "$(grep -o 'usermod[^;]*' <<<"$output")" "61009" "usermod advice"
	assert_line_match "$output" "^FAIL  subordinate uids: .*fix: create a user for uid 61009 \(useradd\)" "advice"
}

# --- subordinate ranges that give away more than they should ---------------------

@test "a subordinate range that includes id 0: FAIL naming the range and the fix, exit 1" {
	save_subids
	echo "nsu-one:0:65536" >>/etc/subuid
	echo "nsu-two:0:1000" >>/etc/subgid
	run --separate-stderr nsu_as nsu-one --check
	assert_status 1
	assert_eq "$stderr" "" "stderr"
	assert_check_format
	assert_has_line "$output" "FAIL  subordinate uids: the range 0-65535 of nsu-one in /etc/subuid includes uid 0 (root): newuidmap lets nsu-one map host uid 0 into a user namespace, and own the files of uid 0 there; fix: give nsu-one a range that does not include 0: usermod --del-subuids 0-65535 nsu-one, then usermod --add-subuids FIRST-LAST nsu-one, with 65536 ids that no other user has"
	assert_eq "$(grep -c '^FAIL' <<<"$output")" 1 "FAIL lines"

	run --separate-stderr nsu_as nsu-two --check
	assert_status 1
	assert_has_line "$output" "FAIL  subordinate gids: the range 0-999 of nsu-two in /etc/subgid includes gid 0 (root): newgidmap lets nsu-two map host gid 0 into a user namespace, and own the files of gid 0 there; fix: give nsu-two a range that does not include 0: usermod --del-subgids 0-999 nsu-two, then usermod --add-subgids FIRST-LAST nsu-two, with 65536 ids that no other user has"
}

@test "ranges that hold the ids of existing users and groups: WARN naming a few and how many" {
	save_subids
	echo "nsu-two:1:60000" >>/etc/subuid
	echo "nsu-two:1:60000" >>/etc/subgid
	# Accounts of our own in the range, whatever the host has.
	save_etc passwd group
	local i users groups
	for i in 1 2 3 4; do
		echo "nsu-sys$i:x:$((4000 + i)):$((4000 + i))::/nonexistent:/usr/sbin/nologin" >>/etc/passwd
		echo "nsu-sys$i:x:$((4000 + i)):" >>/etc/group
	done
	mapfile -t users < <(accounts_in passwd 1 60000)
	mapfile -t groups < <(accounts_in group 1 60000)
	[ "${users[0]}" -gt 3 ] && [ "${groups[0]}" -gt 3 ] || flunk "too few system accounts: ${users[*]} / ${groups[*]}"
	run --separate-stderr nsu_as nsu-two --check
	assert_status 0
	assert_check_format
	assert_has_line "$output" "WARN  subordinate uids: the uids of ${users[0]} existing users lie in 1-60000 (${users[1]}): inside nsu, nsu-two can act as those users and change their files; fix: give nsu-two ranges above the ids of all users and groups (usermod --del-subuids / --add-subuids; such ranges usually start at 100000, see SUB_UID_MIN in /etc/login.defs)"
	assert_has_line "$output" "WARN  subordinate gids: the gids of ${groups[0]} existing groups lie in 1-60000 (${groups[1]}): inside nsu, nsu-two can act as those groups and change their files; fix: give nsu-two ranges above the ids of all users and groups (usermod --del-subgids / --add-subgids; such ranges usually start at 100000, see SUB_GID_MIN in /etc/login.defs)"
	# Not just the ends of a range: one user's uid in its middle counts.
	echo "nsu-none:61000:10" >>/etc/subuid
	run --separate-stderr nsu_as nsu-none --check
	assert_has_line "$output" "WARN  subordinate uids: the uids of 3 existing users lie in 61000-61002, 61004-61009 (nsu-one 61001, nsu-two 61002, nsu-grp 61004): inside nsu, nsu-none can act as those users and change their files; fix: give nsu-none ranges above the ids of all users and groups (usermod --del-subuids / --add-subuids; such ranges usually start at 100000, see SUB_UID_MIN in /etc/login.defs)"
}

@test "another user's range inside yours, away from its ends: WARN naming that user, uids and gids" {
	save_subids
	echo "nsu-none:120000:10" >>/etc/subuid
	echo "nsu-none:130000:5" >>/etc/subgid
	run --separate-stderr nsu_as nsu-one --check
	assert_status 0
	assert_eq "$stderr" "" "stderr"
	assert_check_format
	assert_eq "${lines[0]}" "OK    user nsu-one: uid 61001, gid 61001" "line 1"
	assert_has_line "$output" "WARN  subordinate uids: nsu-none also has 10 ids of nsu-one's ranges (120000-120009): each can read and change the other's files made inside nsu; fix: give each user a range of their own (usermod --del-subuids / --add-subuids)"
	assert_has_line "$output" "WARN  subordinate gids: nsu-none also has 5 ids of nsu-one's ranges (130000-130004): each can read and change the other's files made inside nsu; fix: give each user a range of their own (usermod --del-subgids / --add-subgids)"
	# Several runs in common: the first is given.
	echo "nsu-none:150000:3" >>/etc/subuid
	run --separate-stderr nsu_as nsu-one --check
	assert_has_line "$output" "WARN  subordinate uids: nsu-none also has 13 ids of nsu-one's ranges (120000-120009 and more): each can read and change the other's files made inside nsu; fix: give each user a range of their own (usermod --del-subuids / --add-subuids)"
	# And the other way round, with two users sharing: both named.
	echo "nsu-grp:120005:10" >>/etc/subuid
	run --separate-stderr nsu_as nsu-none --check
	assert_has_line "$output" "OK    user nsu-none: uid 61003, gid 61003"
	assert_has_line "$output" "WARN  subordinate uids: 2 other users (nsu-one, nsu-grp) also have ids of nsu-none's ranges: each can read and change the other's files made inside nsu; fix: give each user a range of their own (usermod --del-subuids / --add-subuids)"
}

@test "/etc/subuid missing: FAIL saying how to create it and give ranges, not nsswitch.conf" {
	save_subids
	rm /etc/subuid
	run --separate-stderr nsu_as nsu-one --check
	assert_status 1
	assert_check_format
	assert_has_line "$output" "FAIL  subordinate uids: /etc/subuid does not exist (via files); fix: an administrator creates it, readable by all (touch /etc/subuid && chmod 0644 /etc/subuid), then: usermod --add-subuids FIRST-LAST nsu-one, with 65536 ids that no other user has (see /etc/subuid)"
	assert_has_line "$output" "OK    subordinate gids: 100000-165535 (65536 ids) via files"
	assert_no_match "$output" "nsswitch" "output"
}

@test "/etc/subgid not readable by the user: FAIL with chmod" {
	save_subids
	chmod 0600 /etc/subgid
	run --separate-stderr nsu_as nsu-one --check
	assert_status 1
	assert_check_format
	assert_has_line "$output" "FAIL  subordinate gids: /etc/subgid: Permission denied; fix: chmod 0644 /etc/subgid (every user must be able to read it)"
}

# --- as root: the host for unprivileged users -------------------------------------

@test "as root, /etc/subuid missing: FAIL with how to create it, only the single-ID map: exit 1" {
	save_subids
	rm /etc/subuid
	run --separate-stderr "$NSU" --check
	assert_status 1
	assert_eq "$stderr" "" "stderr"
	assert_check_format
	assert_has_line "$output" "FAIL  /etc/subuid does not exist: no user has subordinate uids; fix: create it, readable by all (touch /etc/subuid && chmod 0644 /etc/subuid), then give each user who needs them a range: usermod --add-subuids FIRST-LAST USER, with 65536 ids that no other user has"
	assert_has_line "$output" "OK    subordinate gids: 3 users have ranges (via files)"
	assert_eq "${lines[-1]}" "WARN  unprivileged users get only the single-ID map: no user has both subordinate uids and gids; fix: give a user ranges: usermod --add-subuids FIRST-LAST --add-subgids FIRST-LAST USER, with 65536 ids that no other user has" "last line"
}

@test "as root, /etc/subgid not readable by all: FAIL with chmod: exit 1" {
	save_subids
	chmod 0600 /etc/subgid
	run --separate-stderr "$NSU" --check
	assert_status 1
	assert_has_line "$output" "FAIL  /etc/subgid is not a file every user can read (mode 0600): nsu, which reads it as the user who runs it, finds no ranges; fix: chmod 0644 /etc/subgid"
	assert_match "${lines[-1]}" "^WARN  unprivileged users get only the single-ID map" "last line"
}

@test "as root: users are counted once, whatever their number of lines; no range at all: exit 1" {
	save_subids
	echo "nsu-one:400000:10" >>/etc/subuid
	echo "61001:410000:10" >>/etc/subuid
	echo "nsu-none:420000:10" >>/etc/subuid
	run --separate-stderr "$NSU" --check
	assert_status 0
	assert_has_line "$output" "OK    subordinate uids: 4 users have ranges (via files)"
	assert_has_line "$output" "OK    subordinate gids: 3 users have ranges (via files)"
	assert_eq "${lines[-1]}" "OK    unprivileged users with subordinate ranges get the full mapping (3 users have ranges); others get the single-ID map" "last line"

	: >/etc/subuid
	: >/etc/subgid
	run --separate-stderr "$NSU" --check
	assert_status 1
	assert_check_format
	assert_has_line "$output" "WARN  subordinate uids: no user has ranges (via files); fix: give each user who needs them a range: usermod --add-subuids FIRST-LAST USER, with 65536 ids that no other user has"
	assert_match "${lines[-1]}" "^WARN  unprivileged users get only the single-ID map: no user has both subordinate uids and gids" "last line"
}

@test "as root, a user's range that includes id 0: FAIL naming it, exit 1" {
	save_subids
	echo "nsu-none:0:10" >>/etc/subuid
	echo "nsu-none:500:10" >>/etc/subgid
	run --separate-stderr "$NSU" --check
	assert_status 1
	assert_check_format
	assert_has_line "$output" "FAIL  subordinate uids: the range 0-9 of nsu-none in /etc/subuid includes uid 0 (root): newuidmap lets nsu-none map host uid 0 into a user namespace, and own the files of uid 0 there; fix: give nsu-none a range that does not include 0: usermod --del-subuids 0-9 nsu-none, then usermod --add-subuids FIRST-LAST nsu-none, with 65536 ids that no other user has"
	assert_eq "${lines[-1]}" "WARN  unprivileged users with subordinate ranges get the full mapping (4 users have ranges), but a check failed; others get the single-ID map; fix: see the FAIL lines above" "last line"
}

@test "as root, helpers without their setuid bit: FAIL, only the single-ID map: exit 1" {
	cp /usr/bin/newuidmap newuidmap
	chmod 0755 newuidmap
	run --separate-stderr with_binds "$T/newuidmap:/usr/bin/newuidmap" root "$NSU" --check
	assert_status 1
	assert_check_format
	assert_has_line "$output" "FAIL  /usr/bin/newuidmap is neither setuid root nor has file capabilities; fix: reinstall it: apt-get install --reinstall uidmap"
	assert_has_line "$output" "OK    /usr/bin/newgidmap is setuid root"
	assert_eq "${lines[-1]}" "WARN  unprivileged users get only the single-ID map: newuidmap and newgidmap cannot map their ranges; fix: see the lines above" "last line"
}

@test "as root, user namespaces disabled: FAIL, nothing works for users: exit 2" {
	# The sysctl as nsu reads it, replaced in a mount namespace of its own.
	echo 0 >zero
	chmod 0644 zero
	run --separate-stderr with_binds "$T/zero:/proc/sys/user/max_user_namespaces" root "$NSU" --check
	assert_status 2
	assert_check_format
	assert_has_line "$output" "FAIL  user namespaces are disabled (user.max_user_namespaces = 0); fix: sysctl -w user.max_user_namespaces=15000 (persist it in /etc/sysctl.d/)"
	assert_eq "${lines[-1]}" "FAIL  unprivileged users cannot use nsu: user namespaces are closed to them; fix: see the lines above" "last line"
}

@test "--check's trial gives the child's own reason when it fails" {
	run --separate-stderr nsu_as nsu-one --check -w /nonexistent
	assert_status 2
	assert_eq "${lines[-1]}" "FAIL  trial: nothing works: cannot change to directory /nonexistent: No such file or directory; fix: see the lines above" "the trial's line"
}
