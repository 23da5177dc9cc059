#!/usr/bin/env bats
# Without usable subordinate ranges or helpers, nsu maps only the caller's
# own ids (0 <uid> 1, setgroups deny), warns once, and still runs the command.

load helpers

# assert_one_warning PATTERN...: stderr is a single "nsu: warning:" line that
# matches every ERE given.
assert_one_warning() {
	local re
	assert_eq "$(wc -l <<<"$stderr")" 1 "number of stderr lines"
	assert_match "$stderr" "^nsu: warning: " "stderr"
	for re in "$@"; do
		assert_match "$stderr" "$re" "the warning"
	done
}

SINGLE_ONE=("uid 0 61001 1" "gid 0 61001 1" "setgroups deny")

@test "a user without ranges gets a single-ID map, setgroups deny, and one warning" {
	run --separate-stderr nsu_as nsu-none -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61003 1" "gid 0 61003 1" "setgroups deny")" "maps"
	assert_one_warning "usermod --add-subuids" "nsu-none"
}

@test "the single-ID fallback still runs the command as 0 with its status" {
	run --separate-stderr nsu_as nsu-none -- sh -c 'id -u; id -g; exit 3'
	assert_status 3
	assert_eq "$output" "$(printf '0\n0')" "id -u; id -g"
}

@test "-q suppresses the fallback warning" {
	run --separate-stderr nsu_as nsu-none -q -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61003 1" "gid 0 61003 1" "setgroups deny")" "maps"
	assert_eq "$stderr" "" "stderr"
}

@test "with newuidmap and newgidmap failing, nsu-one falls back and warns" {
	run --separate-stderr with_binds "/bin/false:/usr/bin/newuidmap /bin/false:/usr/bin/newgidmap" \
		nsu-one "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_one_warning "newuidmap" "newgidmap"
	# The user has ranges: the advice is not to add some.
	assert_no_match "$stderr" "usermod" "the warning"
}

@test "with newuidmap and newgidmap failing, the command still runs" {
	run --separate-stderr with_binds "/bin/false:/usr/bin/newuidmap /bin/false:/usr/bin/newgidmap" \
		nsu-one "$NSU" -- sh -c 'id -u; exit 7'
	assert_status 7
	assert_eq "$output" 0 "id -u"
}

@test "a newuidmap without its setuid bit: the warning says it is not setuid" {
	cp /usr/bin/newuidmap newuidmap
	cp /usr/bin/newgidmap newgidmap
	chmod 0755 newuidmap newgidmap
	run --separate-stderr with_binds "$T/newuidmap:/usr/bin/newuidmap $T/newgidmap:/usr/bin/newgidmap" \
		nsu-one "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_one_warning "/usr/bin/newuidmap[^;]* (not|neither) setuid"
}

@test "only newgidmap broken: full uid map, single gid map, setgroups deny" {
	run --separate-stderr with_binds "/bin/false:/usr/bin/newgidmap" \
		nsu-one "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 65536" \
		"gid 0 61001 1" "setgroups deny")" "maps"
	assert_one_warning "gid" "newgidmap"
}

@test "only newuidmap broken: single uid map, full gid map" {
	run --separate-stderr with_binds "/bin/false:/usr/bin/newuidmap" \
		nsu-one "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" \
		"gid 0 61001 1" "gid 1 100000 65536" "setgroups allow")" "maps"
	assert_one_warning "uid" "newuidmap"
}

# Not under valgrind: valgrind ends the process when an execve() it let through fails, and nsu's posix_spawn() cannot report a failed exec of a helper under valgrind
# bats test_tags=no-valgrind
@test "newuidmap and newgidmap missing: fallback, and the warning names the package" {
	# Executing a script whose interpreter does not exist fails with ENOENT,
	# as if the helper were not installed.
	printf '#!/nonexistent/interpreter\n' >missing
	chmod 0755 missing
	run --separate-stderr with_binds "$T/missing:/usr/bin/newuidmap $T/missing:/usr/bin/newgidmap" \
		nsu-one "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_one_warning "newuidmap is not installed" "uidmap package"
}

@test "no_new_privs: fallback, and the warning mentions no_new_privs" {
	run --separate-stderr as_user nsu-one setpriv --no-new-privs -- "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "${SINGLE_ONE[@]}")" "maps"
	assert_one_warning "no_new_privs"
}

@test "no_new_privs with -q: fallback without a warning" {
	run --separate-stderr as_user nsu-one setpriv --no-new-privs -- "$NSU" -q -- id -u
	assert_status 0
	assert_eq "$output" 0 "id -u"
	assert_eq "$stderr" "" "stderr"
}

@test "a uid without a passwd entry: single-ID map, a warning, and /bin/sh as the shell" {
	run --separate-stderr setpriv --reuid=61009 --regid=61009 --clear-groups -- \
		env -u SHELL HOME=/ "$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61009 1" "gid 0 61009 1" "setgroups deny")" "maps"
	assert_one_warning "61009"
	# Neither usermod nor the helpers work without a name: the advice creates one.
	assert_match "$stderr" "uid 61009 has no user name, and newuidmap and newgidmap need one: an administrator can create the user \(useradd\)" "advice"
	assert_no_match "$stderr" "usermod [^;(]*61009" "advice"

	run --separate-stderr setpriv --reuid=61009 --regid=61009 --clear-groups -- \
		env -u SHELL HOME=/ "$NSU" -q <<<'id -u; echo "$0"'
	assert_status 0
	assert_eq "$output" "$(printf '0\n/bin/sh')" "output of the shell"
}
