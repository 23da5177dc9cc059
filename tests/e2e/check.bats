#!/usr/bin/env bats
# nsu --check: one line per check (OK, WARN or FAIL, each non-OK line with
# its fix), a real trial run, and the exit status 0 (the full mapping works),
# 1 (only the single-ID map works) or 2 (nothing works).

load helpers

test_setup() {
	unset NSU_CONFIG XDG_CONFIG_HOME
	SUBUID_SAVED=
}

test_teardown() {
	if [ -n "$SUBUID_SAVED" ]; then
		cat "$SUBUID_SAVED" >/etc/subuid
	fi
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

@test "as root: exit 0 and the root with CAP_SYS_ADMIN line" {
	run --separate-stderr "$NSU" --check
	assert_status 0
	assert_eq "$output" "$(printf '%s\n' "OK    user root: uid 0, gid 0" \
		"OK    root with CAP_SYS_ADMIN: nsu runs commands in a private mount namespace, without a new user namespace")" \
		"output"
	assert_eq "$stderr" "" "stderr"
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
