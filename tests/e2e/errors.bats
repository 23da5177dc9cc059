#!/usr/bin/env bats
# Failures: 127 command not found, 126 cannot execute, 125 nsu's own
# failures; options; refusing to run setuid; variables that must not
# change what nsu does.

load helpers

@test "an unknown command: 127 and 'command not found'" {
	run -127 --separate-stderr nsu_as nsu-one -- no-such-cmd
	assert_status 127
	assert_eq "$stderr" "nsu: no-such-cmd: command not found" "stderr"
	assert_eq "$output" "" "stdout"
}

@test "a missing path: 127" {
	run -127 --separate-stderr nsu_as nsu-one -- ./no-such
	assert_status 127
	assert_match "$stderr" "^nsu: \\./no-such: " "stderr"
	assert_eq "$(wc -l <<<"$stderr")" 1 "number of stderr lines"
}

@test "a file without execute permission: 126" {
	printf '#!/bin/sh\necho ran\n' >plain
	chmod 0644 plain
	run -126 --separate-stderr nsu_as nsu-one -- ./plain
	assert_status 126
	assert_match "$stderr" "^nsu: \\./plain: " "stderr"
	assert_eq "$output" "" "stdout"
}

@test "a directory: 126" {
	mkdir dir
	run -126 --separate-stderr nsu_as nsu-one -- ./dir
	assert_status 126
	assert_match "$stderr" "^nsu: \\./dir: " "stderr"
	run -126 --separate-stderr nsu_as nsu-one -- "$T/dir"
	assert_status 126
}

@test "a command that is not found with a single-ID map: 127 too" {
	run -127 --separate-stderr nsu_as nsu-none -q -- no-such-cmd
	assert_status 127
	assert_eq "$stderr" "nsu: no-such-cmd: command not found" "stderr"
}

@test "an unknown option: 125, a message naming it, and nothing runs" {
	run --separate-stderr nsu_as nsu-one --bogus -- touch "$T/ran"
	assert_status 125
	assert_match "$stderr" "^nsu: .*--bogus" "stderr"
	[ ! -e ran ] || flunk "the command ran"

	run --separate-stderr nsu_as nsu-one -x touch "$T/ran"
	assert_status 125
	assert_match "$stderr" "^nsu: .*-x" "stderr"
	[ ! -e ran ] || flunk "the command ran"
}

@test "--help: 0 and the usage on stdout" {
	run --separate-stderr nsu_as nsu-one --help
	assert_status 0
	assert_match "$output" "Usage" "stdout"
	assert_eq "$stderr" "" "stderr"
	run --separate-stderr nsu_as nsu-one -h
	assert_status 0
	assert_match "$output" "Usage" "stdout"
}

@test "--version: 0 and 'nsu VERSION'" {
	run --separate-stderr nsu_as nsu-one --version
	assert_status 0
	assert_match "$output" "^nsu [0-9][^[:space:]]*$" "stdout"
	assert_eq "$stderr" "" "stderr"
}

@test "nsu installed setuid root refuses to run: 125 and a message" {
	install -m 4755 -o root -g root "$NSU" nsu-suid
	run --separate-stderr as_user nsu-one "$T/nsu-suid" -- touch "$T/ran"
	assert_status 125
	assert_match "$stderr" "^nsu: .*setuid" "stderr"
	[ ! -e ran ] || flunk "the command ran"
}

@test "nsu installed setgid root refuses to run: 125 and a message" {
	install -m 2755 -o root -g root "$NSU" nsu-sgid
	run --separate-stderr as_user nsu-one "$T/nsu-sgid" -- touch "$T/ran"
	assert_status 125
	assert_match "$stderr" "^nsu: .*setgid" "stderr"
	[ ! -e ran ] || flunk "the command ran"
}

@test "_CONTAINERS_USERNS_CONFIGURED=done from the caller does not skip the namespace" {
	run --separate-stderr as_user nsu-one env _CONTAINERS_USERNS_CONFIGURED=done \
		"$NSU" -- "${MAPS[@]}"
	assert_status 0
	assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 65536" \
		"gid 0 61001 1" "gid 1 100000 65536" "setgroups allow")" "maps"
}

@test "a forged _NSU_INNER_STAGE that does not parse is ignored" {
	local v
	for v in garbage "" "1,2" "-1,-2,-3" "3,4,1"; do
		run --separate-stderr as_user nsu-one env _NSU_INNER_STAGE="$v" "$NSU" -- "${MAPS[@]}"
		assert_status 0
		assert_eq "$output" "$(maps_lines "uid 0 61001 1" "uid 1 100000 65536" \
			"gid 0 61001 1" "gid 1 100000 65536" "setgroups allow")" "maps with _NSU_INNER_STAGE='$v'"
		assert_eq "$stderr" "" "stderr with _NSU_INNER_STAGE='$v'"
	done
}

# forged_marker USER CMD...: run nsu CMD... as USER with an _NSU_INNER_STAGE
# that names its real parent and two pipes (its stdin and stdout), as anyone
# can write it; stdout to out, stderr to err, the exit status to rc.
forged_marker() {
	local user=$1
	shift
	as_user "$user" bash -c '
		echo x | _NSU_INNER_STAGE=0,1,$$ "$NSU" "$@" 2>err | cat >out
		echo "${PIPESTATUS[1]}" >rc' - "$@"
}

# assert_clear_125_or RC OUT: exit status 125 with a message and no output,
# or else exit status RC and stdout OUT.
assert_clear_125_or() {
	if [ "$(cat rc)" = 125 ]; then
		assert_match "$(cat err)" "^nsu: " "stderr with exit status 125"
		assert_eq "$(od -An -c out)" "" "stdout with exit status 125"
	else
		assert_eq "$(cat rc)" "$1" "exit status (stdout: $(od -An -c out | head -2))"
		assert_eq "$(cat out)" "$2" "stdout"
	fi
}

@test "a forged _NSU_INNER_STAGE naming real pipes and parent: still the namespace, or a clear 125" {
	forged_marker nsu-one -- "${MAPS[@]}"
	assert_clear_125_or 0 "$(maps_lines "uid 0 61001 1" "uid 1 100000 65536" \
		"gid 0 61001 1" "gid 1 100000 65536" "setgroups allow")"
}

@test "a forged _NSU_INNER_STAGE as root: the command runs, or a clear 125" {
	forged_marker root -- id -u
	assert_clear_125_or 0 0
}

@test "a forged _NSU_INNER_STAGE as root: never without a private mount namespace" {
	forged_marker root sh -c 'readlink /proc/self/ns/mnt >&2'
	if [ "$(cat rc)" != 125 ]; then
		assert_no_match "$(cat err)" "^$(readlink /proc/self/ns/mnt | sed 's/[][]/\\&/g')\$" \
			"mount namespace of the command"
	fi
}
