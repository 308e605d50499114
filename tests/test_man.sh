#!/bin/bash
# Tests the man pages in man/. Every function that include/ipv4/*.h declares
# with IPV4_EXPORT, and every function libipv4.so exports, must have a page
# in man/man3 (its own or a ".so" link), whose NAME lists it and whose
# SYNOPSIS shows the header's prototype. Every page must have the fixed
# sections and render with groff without a warning. Pages for names the
# headers do not declare are stale and fail too, and ipv4(1) must name every
# command and option of the built tool's --help.
set -u
: "${IPV4_SOURCE_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${IPV4_BUILD_DIR:=}"

man_dir="$IPV4_SOURCE_DIR/man"
work=$(mktemp -d)
failures=0
trap 'rm -rf "$work"' EXIT

# Documented names that are macros, not exported functions.
macros="ipv4_option_for_each"

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# Prints "name prototype" for each IPV4_EXPORT declaration of the headers,
# the prototype with all whitespace removed and ending in ';'. Preprocessor
# lines (with their continuations) and comments are dropped, and the rest is
# split at each ';'.
header_prototypes() {
	local header

	for header in "$IPV4_SOURCE_DIR"/include/ipv4/*.h; do
		awk '
			continued { continued = /\\$/; next }
			/^[ \t]*#/ { continued = /\\$/; next }
			{ print }
		' "$header" |
			tr '\n\t' '  ' |
			sed 's,/\*\([^*]\|\*\+[^*/]\)*\*\+/,,g' |
			tr ';' '\n' |
			grep 'IPV4_EXPORT' |
			sed 's/.*IPV4_EXPORT//'
	done | awk '
		match($0, /ipv4_[a-z0-9_]*[ ]*\(/) {
			name = substr($0, RSTART, RLENGTH)
			sub(/[ ]*\($/, "", name)
			gsub(/[[:space:]]/, "")
			print name, $0 ";"
		}'
}

# Prints the page that documents name: man3/NAME.3, or its .so target.
page_of() {
	local page="$man_dir/man3/$1.3"
	local target

	[ -f "$page" ] || return 1
	target=$(sed -n '1s/^\.so[[:space:]]\+//p' "$page")
	if [ -n "$target" ]; then
		page="$man_dir/$target"
		[ -f "$page" ] || return 1
	fi
	echo "$page"
}

# Prints the source lines of a section of page, up to the next .SH.
section_source() {
	awk -v want="$2" '
		/^\.SH/ { on = ($0 == ".SH " want || $0 == ".SH \"" want "\"") }
		on && !/^\.SH/ { print }
	' "$1"
}

header_prototypes | sort -u >"$work/prototypes"
cut -d' ' -f1 "$work/prototypes" >"$work/declared"
if [ ! -s "$work/declared" ]; then
	fail "no IPV4_EXPORT prototype found in $IPV4_SOURCE_DIR/include/ipv4"
	exit 1
fi
echo "$(wc -l <"$work/declared") functions declared in the headers"

# The shared library's exports, when the build and nm are available: each must
# be declared, so that the pages cover what the library really exports.
library="$IPV4_BUILD_DIR/libipv4.so"
if [ -n "$IPV4_BUILD_DIR" ] && [ -f "$library" ] && command -v nm >/dev/null
then
	nm -D --defined-only "$library" |
		awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' |
		sort -u >"$work/exported"
	while read -r name; do
		grep -qx "$name" "$work/declared" ||
			fail "$name: exported by libipv4.so but declared in no header"
	done <"$work/exported"
	while read -r name; do
		grep -qx "$name" "$work/exported" ||
			fail "$name: declared in a header but not exported by libipv4.so"
	done <"$work/declared"
else
	echo "note: libipv4.so or nm not found: header declarations only"
fi

# Each declared function has a page whose NAME lists it.
while read -r name; do
	page=$(page_of "$name") || {
		fail "$name: no page man3/$name.3, or its .so target is missing"
		continue
	}
	section_source "$page" NAME | grep -qw -- "$name" ||
		fail "$name: the NAME section of ${page#"$man_dir"/} does not list it"
done <"$work/declared"

# Each page names a declared function or a documented macro.
for page in "$man_dir"/man3/*.3; do
	name=$(basename "$page" .3)
	grep -qx "$name" "$work/declared" || [[ " $macros " == *" $name "* ]] ||
		fail "man3/$name.3: no header declares $name (stale page?)"
done

# Each reference to a library page, such as ".BR ipv4_tos (3)", names a page
# that exists.
for page in "$man_dir"/man1/*.1 "$man_dir"/man3/*.3 "$man_dir"/man7/*.7; do
	sed -n 's/^\.BR \(ipv4_[a-z0-9_]*\) (3).*/\1/p' "$page" | sort -u |
		while read -r name; do
			[ -f "$man_dir/man3/$name.3" ] ||
				echo "${page#"$man_dir"/} refers to missing $name(3)"
		done
done >"$work/references"
while read -r line; do
	fail "$line"
done <"$work/references"

# libipv4(7) lists every library error code of error.h with its value.
sed -n 's/.*X(\([A-Z_0-9]*\), \(-[0-9]*\),.*/\1 \2/p' \
	"$IPV4_SOURCE_DIR/include/ipv4/error.h" >"$work/codes"
[ -s "$work/codes" ] || fail "no IPV4_ERROR_MAP entry found in error.h"
while read -r code value; do
	grep -qF "IPV4_ERR_$code	\\$value" "$man_dir/man7/libipv4.7" ||
		fail "man7/libipv4.7: no table row for IPV4_ERR_$code ($value)"
done <"$work/codes"

# Each page that is not a link has the fixed sections, in order.
sections="NAME SYNOPSIS DESCRIPTION RETURN_VALUE ERRORS SEE_ALSO"
for page in "$man_dir"/man1/*.1 "$man_dir"/man3/*.3 "$man_dir"/man7/*.7; do
	head -n1 "$page" | grep -q '^\.so' && continue
	found=$(sed -n 's/^\.SH "\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$page" |
		tr ' ' '_' | tr '\n' ' ')
	title=$(sed -n 's/^\.TH \([^ ]*\) \([0-9]\) .*/\1.\2/p' "$page")
	[ "$title" = "$(basename "$page")" ] ||
		fail "${page#"$man_dir"/}: .TH names '$title'"
	case "$page" in
	*.3) want="$sections" ;;
	*.1) want="NAME SYNOPSIS DESCRIPTION EXIT_STATUS SEE_ALSO" ;;
	*) want="NAME DESCRIPTION SEE_ALSO" ;;
	esac
	pattern=${want// /( [A-Z_]+)* }
	echo " $found" | grep -qE "^ $pattern( |$)" ||
		fail "${page#"$man_dir"/}: sections are '$found', want $want in order"
done

if ! command -v groff >/dev/null; then
	if [ "$failures" -gt 0 ]; then
		echo "$failures failures" >&2
		exit 1
	fi
	echo "skipped: groff is not installed, pages were not rendered"
	exit 77
fi

# Each page renders without a warning. groff resolves ".so man3/X.3"
# against the working directory, so it runs in man/.
cd "$man_dir" || exit 1
for page in man1/*.1 man3/*.3 man7/*.7; do
	groff -t -man -ww -z -Tascii "$page" >/dev/null 2>"$work/warnings"
	if [ -s "$work/warnings" ]; then
		fail "$page: groff warns:"
		sed 's/^/    /' "$work/warnings" >&2
	fi
done

# Each SYNOPSIS, as rendered, shows the include line and the prototype of
# the header, compared with all whitespace removed.
while read -r name prototype; do
	page=$(page_of "$name") || continue
	groff -t -man -Tascii -P-cbou "${page#"$man_dir"/}" 2>/dev/null |
		awk '/^SYNOPSIS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' |
		tr -d '[:space:]' >"$work/synopsis"
	grep -qF '#include<ipv4.h>' "$work/synopsis" ||
		fail "$name: SYNOPSIS of ${page#"$man_dir"/} lacks #include <ipv4.h>"
	grep -qF -- "$prototype" "$work/synopsis" ||
		fail "$name: SYNOPSIS of ${page#"$man_dir"/} does not show $prototype"
done <"$work/prototypes"

# ipv4(1) names every command and option that the built tool's help lists.
tool="$IPV4_BUILD_DIR/tools/ipv4"
if [ -n "$IPV4_BUILD_DIR" ] && [ -x "$tool" ]; then
	groff -man -Tascii -P-cbou man1/ipv4.1 2>/dev/null >"$work/ipv4.1.txt"
	"$tool" --help | awk '/^  [a-z]+ / { print $1 }' >"$work/commands"
	[ -s "$work/commands" ] || fail "ipv4 --help lists no command"
	while read -r command; do
		grep -qE "^ +$command " "$work/ipv4.1.txt" ||
			fail "man1/ipv4.1: no entry for the command $command"
		"$tool" "$command" --help |
			grep -oE -- '--[a-z][a-z-]*' | sort -u |
			while read -r option; do
				grep -qF -- "$option" "$work/ipv4.1.txt" ||
					echo "man1/ipv4.1: $command option $option missing"
			done
	done <"$work/commands" >"$work/options"
	while read -r line; do
		fail "$line"
	done <"$work/options"
else
	echo "note: $tool not built: the tool's options were not compared"
fi

if [ "$failures" -gt 0 ]; then
	echo "$failures failures" >&2
	exit 1
fi
echo "all pages present, rendered and matching the headers"
