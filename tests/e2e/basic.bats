#!/usr/bin/env bats
# Smoke tests: nsu runs a command as uid 0 in a new user namespace.

load helpers

@test "nsu -- id -u prints 0 for an unprivileged user" {
	run --separate-stderr nsu_as nsu-one -- id -u
	assert_status 0
	assert_eq "$output" 0 "id -u"
	assert_eq "$stderr" "" "stderr"
}

@test "nsu -- id -g prints 0 and the command runs in a new user namespace" {
	run --separate-stderr nsu_as nsu-one -- sh -c 'id -g; readlink /proc/self/ns/user'
	assert_status 0
	assert_eq "${lines[0]}" 0 "id -g"
	assert_no_match "${lines[1]}" "^$(readlink /proc/self/ns/user | sed 's/[][]/\\&/g')\$" "user namespace"
}

@test "nsu -- true exits 0" {
	run --separate-stderr nsu_as nsu-one -- true
	assert_status 0
	assert_eq "$output$stderr" "" "output"
}

@test "nsu without -- runs the command and leaves its options alone" {
	run --separate-stderr nsu_as nsu-one id -u
	assert_status 0
	assert_eq "$output" 0 "id -u"

	run --separate-stderr nsu_as nsu-one ls -d -- /
	assert_status 0
	assert_eq "$output" / "ls -d -- /"
}

@test "nsu -v prints the id maps on stderr" {
	run --separate-stderr nsu_as nsu-one -v -- true
	assert_status 0
	assert_eq "$output" "" "stdout"
	assert_has_line "$stderr" "nsu: uid map: 0 61001 1" "stderr"
	assert_has_line "$stderr" "nsu: uid map: 1 100000 65536" "stderr"
	assert_has_line "$stderr" "nsu: gid map: 0 61001 1" "stderr"
	assert_has_line "$stderr" "nsu: gid map: 1 100000 65536" "stderr"
}
