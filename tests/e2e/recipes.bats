#!/usr/bin/env bats
# Recipes README.md gives: removing what belongs to subordinate ids, and
# dpkg-buildpackage with nsu as its root command.

load helpers

@test "a tree owned by subordinate ids: rm fails outside, nsu -- rm -rf removes it" {
	run --separate-stderr nsu_as nsu-one -- sh -c \
		'mkdir -p tree/sub && echo x >tree/sub/file && chown -R 1000:1000 tree'
	assert_status 0
	assert_eq "$(stat -c %u tree/sub)" 100999 "owner of tree/sub outside"

	run --separate-stderr as_user nsu-one rm -rf tree
	[ "$status" -ne 0 ] || flunk "rm -rf removed a tree owned by a subordinate id"
	assert_match "$stderr" "Permission denied" "rm's message"
	[ -e tree/sub/file ] || flunk "tree/sub/file is gone"

	run --separate-stderr nsu_as nsu-one -- rm -rf tree
	assert_status 0
	assert_eq "$stderr" "" "stderr"
	[ ! -e tree ] || flunk "nsu -- rm -rf left tree"
}

# make_source DIR RULES-REQUIRES-ROOT: a source package, made by nsu-one,
# whose binary target chowns its files to 0:0 and records the uid it ran as.
make_source() {
	as_user nsu-one sh -c '
		set -e
		mkdir -p "$1/debian/source"
		cd "$1"
		echo "3.0 (native)" >debian/source/format
		printf "%s\n" "Source: nsu-test" "Maintainer: nsu tests <nsu@example.invalid>" \
			"Rules-Requires-Root: $2" "" "Package: nsu-test" "Architecture: all" \
			"Description: nsu test package" " nsu test package" >debian/control
		printf "%s\n" "nsu-test (1.0) unstable; urgency=low" "" "  * Test." "" \
			" -- nsu tests <nsu@example.invalid>  Mon, 01 Jan 2024 00:00:00 +0000" \
			>debian/changelog
		printf "%s\n" "#!/usr/bin/make -f" \
			"build build-arch build-indep:" \
			"clean:" "	rm -rf debian/tmp debian/files" \
			"binary binary-arch binary-indep:" \
			"	id -u >../binary-uid" \
			"	rm -rf debian/tmp" \
			"	mkdir -p debian/tmp/DEBIAN debian/tmp/usr/share/doc/nsu-test" \
			"	echo hello >debian/tmp/usr/share/doc/nsu-test/README" \
			"	chown -R 0:0 debian/tmp" \
			"	dpkg-gencontrol -pnsu-test -Pdebian/tmp" \
			"	dpkg-deb --build debian/tmp .." >debian/rules
		chmod +x debian/rules' - "$1" "$2"
}

# buildpackage DIR ARG...: dpkg-buildpackage in DIR as nsu-one, with nsu on
# the PATH.
buildpackage() {
	local dir=$1
	shift
	(cd "$dir" && as_user nsu-one env PATH="${NSU%/*}:/usr/bin:/bin" \
		dpkg-buildpackage -b -us -uc -d "$@")
}

@test "dpkg-buildpackage -r'nsu --': the package's files belong to root" {
	need dpkg-buildpackage dpkg-deb
	make_source src binary-targets
	run buildpackage src -r'nsu --'
	assert_status 0
	assert_eq "$(cat binary-uid)" 0 "uid of debian/rules binary"
	run dpkg-deb -c nsu-test_1.0_all.deb
	assert_status 0
	assert_line_match "$output" "root/root .*\./usr/share/doc/nsu-test/README" "contents"
	assert_eq "$(awk '{print $2}' <<<"$output" | sort -u)" root/root "owners of all entries"
}

@test "Rules-Requires-Root: no: no root command, unless --rules-requires-root" {
	need dpkg-buildpackage dpkg-deb
	make_source src no
	# debian/rules binary runs as the user: its chown fails.
	run buildpackage src -r'nsu --'
	[ "$status" -ne 0 ] || flunk "dpkg-buildpackage succeeded without root"
	assert_eq "$(cat binary-uid)" 61001 "uid of debian/rules binary"
	rm -f binary-uid

	run buildpackage src --rules-requires-root -r'nsu --'
	assert_status 0
	assert_eq "$(cat binary-uid)" 0 "uid of debian/rules binary"
	run dpkg-deb -c nsu-test_1.0_all.deb
	assert_status 0
	assert_eq "$(awk '{print $2}' <<<"$output" | sort -u)" root/root "owners of all entries"
}
