#!/usr/bin/env bats
# What nsu is for: building archives and packages whose files belong to root
# (and to other ids) without being root.

load helpers

@test "tar: files owned by 0, 1 and 1000 survive an archive round trip" {
	as_user nsu-one mkdir src dst
	run --separate-stderr nsu_as nsu-one -- sh -c '
		cd src &&
		echo a >a && echo b >b && echo c >c && mkdir d && echo e >d/e &&
		chown 0:0 a && chown 1:1 b && chown 1000:1000 c && chown -R 1000:1001 d &&
		tar --numeric-owner -cf ../files.tar a b c d'
	assert_status 0

	# The archive records the ids as seen inside.
	run tar --numeric-owner -tvf files.tar
	assert_status 0
	assert_line_match "$output" "^-[^ ]+ 0/0 .* a$" "listing"
	assert_line_match "$output" "^-[^ ]+ 1/1 .* b$" "listing"
	assert_line_match "$output" "^-[^ ]+ 1000/1000 .* c$" "listing"
	assert_line_match "$output" "^d[^ ]+ 1000/1001 .* d/$" "listing"
	assert_line_match "$output" "^-[^ ]+ 1000/1001 .* d/e$" "listing"

	# Extracted in another nsu call.
	run --separate-stderr nsu_as nsu-one -- sh -c '
		cd dst && tar --same-owner -xpf ../files.tar && stat -c "%n %u:%g" a b c d d/e'
	assert_status 0
	assert_eq "$output" "$(printf '%s\n' "a 0:0" "b 1:1" "c 1000:1000" "d 1000:1001" \
		"d/e 1000:1001")" "owners inside"
	assert_eq "$(cd dst && stat -c "%n %u:%g" a b c d d/e)" "$(printf '%s\n' \
		"a 61001:61001" "b 100000:100000" "c 100999:100999" "d 100999:101000" \
		"d/e 100999:101000")" "owners outside"
	assert_eq "$(cat dst/a dst/b dst/c dst/d/e)" "$(printf 'a\nb\nc\ne')" "contents"
}

@test "tar without nsu cannot restore those owners (the point of nsu)" {
	as_user nsu-one mkdir src dst
	nsu_as nsu-one -- sh -c 'cd src && echo c >c && chown 1000:1000 c && tar --numeric-owner -cf ../files.tar c'
	run --separate-stderr as_user nsu-one sh -c 'cd dst && tar --same-owner -xpf ../files.tar'
	[ "$status" != 0 ] || [ "$(stat -c %u dst/c)" = 61001 ] ||
		flunk "an unprivileged tar restored owner $(stat -c %u dst/c)"
}

# make_package DIR: a minimal binary package tree, made by nsu-one.
make_package() {
	as_user nsu-one sh -c '
		umask 022
		mkdir -p "$1/DEBIAN" "$1/usr/share/doc/nsu-test"
		printf "%s\n" "Package: nsu-test" "Version: 1.0" "Architecture: all" \
			"Maintainer: nsu tests <nsu@example.invalid>" \
			"Description: nsu test package" >"$1/DEBIAN/control"
		echo hello >"$1/usr/share/doc/nsu-test/README"' - "$1"
}

@test "dpkg-deb --build inside nsu records root/root" {
	need dpkg-deb
	make_package pkg
	run --separate-stderr nsu_as nsu-one -- dpkg-deb --build pkg inside.deb
	assert_status 0
	run dpkg-deb -c inside.deb
	assert_status 0
	assert_line_match "$output" "root/root .*\./usr/share/doc/nsu-test/README" "contents"
	assert_no_match "$output" "nsu-one" "contents"
	local owners
	owners=$(awk '{print $2}' <<<"$output" | sort -u)
	assert_eq "$owners" root/root "owners of all entries"
}

@test "dpkg-deb --build without nsu records the user's name" {
	need dpkg-deb
	make_package pkg
	run --separate-stderr as_user nsu-one dpkg-deb --build pkg outside.deb
	assert_status 0
	run dpkg-deb -c outside.deb
	assert_status 0
	assert_line_match "$output" "nsu-one/nsu-one .*\./usr/share/doc/nsu-test/README" "contents"
}
