#!/usr/bin/env bash
# The Python SDK as published (packages/python, issue 16), after scripts/test-python.sh (its venv):
#   1. sdist + wheel with `python -m build` (build isolation: setuptools pinned in [build-system]),
#      no warning in the build log;
#   2. `twine check --strict` on both (Metadata 2.4: License-Expression);
#   3. the metadata and contents: License-Expression, License-File, the Project-URLs, the README as
#      the long description, LICENSE (= the root LICENSE) and py.typed in the wheel, no tests shipped;
#   4. the README (the PyPI page): every python block compiles and type-checks (mypy --strict),
#      the blocks marked `<!-- readme-check: run -->` run against the mock gateway (the one
#      substitution: its address), every link is absolute or an existing heading;
#   5. the API reference: pdoc into docs/api/python, any warning is an error.
# Tools pinned in pyproject.toml's `package` extra, installed into packages/python/.venv once.
# Needs the built mock server (packages/mock-server/dist, from the TS build).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG="$ROOT/packages/python"
VENV="$PKG/.venv"
PY="$VENV/bin/python"
NODE="${MODELWIRE_NODE:-$ROOT/node_modules/.bin/node}"
API_OUT="$ROOT/docs/api/python"

if [ ! -x "$PY" ]; then
  echo "test-python-package: $VENV is missing: run scripts/test-python.sh first" >&2
  exit 1
fi
if [ ! -f "$ROOT/packages/mock-server/dist/cli.js" ]; then
  echo "test-python-package: packages/mock-server/dist is missing: build the TS packages first" >&2
  exit 1
fi

# The packaging tools (build, twine, pdoc): reinstalled only when the pins changed.
STAMP="$VENV/.modelwire-package-stamp"
WANT="$(cat "$PKG/pyproject.toml" "$PKG/constraints.txt" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$WANT" ]; then
  echo "test-python-package: installing modelwire[package] with pinned versions"
  "$PY" -m pip install --quiet --disable-pip-version-check \
    -c "$PKG/constraints.txt" -e "$PKG[package]"
  echo "$WANT" > "$STAMP"
fi

WORK="$(mktemp -d)"
MOCK_PID=""
cleanup() {
  if [ -n "$MOCK_PID" ]; then kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "test-python-package: build sdist + wheel"
# Byte-compiling is off under PYTHONDONTWRITEBYTECODE, and setuptools warns about it.
if ! env -u PYTHONDONTWRITEBYTECODE "$PY" -m build --outdir "$WORK/dist" "$PKG" >"$WORK/build.log" 2>&1; then
  cat "$WORK/build.log" >&2
  echo "test-python-package: the build failed" >&2
  exit 1
fi
if grep -inE 'warn' "$WORK/build.log" >&2; then
  echo "test-python-package: the build printed warnings (above)" >&2
  exit 1
fi

echo "test-python-package: twine check --strict"
"$VENV/bin/twine" check --strict "$WORK"/dist/*

echo "test-python-package: metadata and contents"
"$PY" - "$WORK/dist" "$ROOT" <<'PYEOF'
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

dist, root = Path(sys.argv[1]), Path(sys.argv[2])
pkg = root / "packages" / "python"
license_text = (root / "LICENSE").read_bytes()
readme = (pkg / "README.md").read_text(encoding="utf-8")
version = {}
exec((pkg / "src" / "modelwire" / "_version.py").read_text(encoding="utf-8"), version)
problems: list[str] = []


def check(ok: bool, what: str) -> None:
    if not ok:
        problems.append(what)


def check_metadata(where: str, text: str) -> None:
    meta = Parser().parsestr(text)
    check(meta["Metadata-Version"] == "2.4", f"{where}: Metadata-Version {meta['Metadata-Version']}")
    check(meta["Name"] == "modelwire", f"{where}: Name {meta['Name']}")
    check(meta["Version"] == version["__version__"], f"{where}: Version {meta['Version']}")
    check(meta["License-Expression"] == "Apache-2.0", f"{where}: License-Expression")
    check(meta.get_all("License-File") == ["LICENSE"], f"{where}: License-File")
    check(
        not any(c.startswith("License ::") for c in meta.get_all("Classifier") or []),
        f"{where}: a License classifier next to License-Expression",
    )
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
    base = "https://github.com/modelwire/modelwire"
    want = {
        "Homepage": f"{base}#readme",
        "Repository": base,
        "Issues": f"{base}/issues",
        "Documentation": f"{base}/tree/main/packages/python#readme",
        "Changelog": f"{base}/blob/main/packages/python/CHANGELOG.md",
    }
    check(urls == want, f"{where}: Project-URL {urls}")
    check(meta["Author"] == "The modelwire authors", f"{where}: Author {meta['Author']}")
    check(meta["Requires-Python"] == ">=3.10", f"{where}: Requires-Python")
    check(meta["Description-Content-Type"] == "text/markdown", f"{where}: Description-Content-Type")
    body = meta.get_payload()
    check(body.strip() == readme.strip(), f"{where}: the long description is not README.md")


(wheel,) = dist.glob("modelwire-*.whl")
with zipfile.ZipFile(wheel) as zf:
    names = zf.namelist()
    info = f"modelwire-{version['__version__']}.dist-info"
    check_metadata(wheel.name, zf.read(f"{info}/METADATA").decode("utf-8"))
    check(zf.read(f"{info}/licenses/LICENSE") == license_text, "wheel: LICENSE differs from root")
    check("modelwire/py.typed" in names, "wheel: no modelwire/py.typed")
    check("modelwire/generated/models.py" in names, "wheel: no generated models")
    top = {n.split("/", 1)[0] for n in names}
    check(top == {"modelwire", info}, f"wheel: unexpected top-level entries {sorted(top)}")

(sdist,) = dist.glob("modelwire-*.tar.gz")
with tarfile.open(sdist) as tf:
    prefix = f"modelwire-{version['__version__']}/"
    members = {m.name.removeprefix(prefix) for m in tf.getmembers()}
    pkg_info = tf.extractfile(prefix + "PKG-INFO")
    assert pkg_info is not None
    check_metadata(sdist.name, pkg_info.read().decode("utf-8"))
    lic = tf.extractfile(prefix + "LICENSE")
    check(lic is not None and lic.read() == license_text, "sdist: LICENSE differs from root")
    for name in ("README.md", "CHANGELOG.md", "pyproject.toml", "src/modelwire/py.typed"):
        check(name in members, f"sdist: no {name}")
    shipped_tests = sorted(m for m in members if m.startswith(("tests/", "tests_keycloak/")))
    check(not shipped_tests, f"sdist: ships tests {shipped_tests[:3]}")

if problems:
    print("test-python-package: " + "\n  ".join(["packaging problems:", *problems]), file=sys.stderr)
    sys.exit(1)
print(f"  {wheel.name}: {len(names)} files; {sdist.name}: {len(members)} entries; metadata ok")
PYEOF

echo "test-python-package: README code blocks against the mock gateway"
"$NODE" "$ROOT/packages/mock-server/dist/cli.js" --port 0 >"$WORK/mock.out" 2>"$WORK/mock.err" &
MOCK_PID=$!
for _ in $(seq 1 100); do
  if [ -s "$WORK/mock.out" ] || ! kill -0 "$MOCK_PID" 2>/dev/null; then break; fi
  sleep 0.1
done
MOCK_URL="$(head -1 "$WORK/mock.out" | grep -oE 'http://127\.0\.0\.1:[0-9]+' || true)"
if [ -z "$MOCK_URL" ]; then
  cat "$WORK/mock.err" >&2
  echo "test-python-package: the mock gateway did not start" >&2
  exit 1
fi
mkdir -p "$WORK/readme"
(cd "$WORK/readme" && env -u OIDC_SECRET "$PY" - "$PKG/README.md" "$MOCK_URL" <<'PYEOF'
import re
import subprocess
import sys
from pathlib import Path

readme_path, mock_url = Path(sys.argv[1]), sys.argv[2]
readme = readme_path.read_text(encoding="utf-8")
lines = readme.splitlines()
# The one documented placeholder: the mock gateway's address in the README's examples.
SUBSTITUTE = {"http://127.0.0.1:4010": mock_url}
RUN_MARK = "<!-- readme-check: run -->"
problems: list[str] = []

blocks = []  # (first line number, run?, code)
i = 0
while i < len(lines):
    if lines[i].strip() == "```python":
        start = i + 1
        end = lines.index("```", start)
        prev = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        blocks.append((start + 1, prev.strip() == RUN_MARK, "\n".join(lines[start:end]) + "\n"))
        i = end
    i += 1
for n, line in enumerate(lines, 1):
    if line.strip() == RUN_MARK and not any(b[0] == n + 2 and b[1] for b in blocks):
        problems.append(f"README.md:{n}: {RUN_MARK} is not followed by a python block")

ran = 0
for line_no, run, code in blocks:
    try:
        compile(code, f"README.md:{line_no}", "exec")
    except SyntaxError as err:
        problems.append(f"README.md:{line_no}: does not compile: {err}")
        continue
    # For mypy --strict, next: the block as the README shows it.
    Path(f"readme_block_{line_no}.py").write_text(code, encoding="utf-8")
    if not run:
        continue
    for placeholder, value in SUBSTITUTE.items():
        code = code.replace(placeholder, value)
    done = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", code],
        capture_output=True, text=True, timeout=60, check=False,
    )
    ran += 1
    if done.returncode != 0:
        problems.append(f"README.md:{line_no}: exit {done.returncode}\n{done.stderr.strip()}")
    elif not done.stdout.strip():
        problems.append(f"README.md:{line_no}: printed nothing")

# Links: PyPI renders the README outside the repository, so only absolute URLs and anchors of
# headings that exist (GitHub's slugs) work.
def slug(heading: str) -> str:
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")

anchors = {slug(line.lstrip("#")) for line in lines if re.match(r"^#{1,6} ", line)}
for target in re.findall(r"\]\(([^)\s]+)\)", readme):
    if target.startswith("#"):
        if target[1:] not in anchors:
            problems.append(f"README.md: link to a missing heading {target}")
    elif not target.startswith("https://"):
        problems.append(f"README.md: relative link {target} (broken on PyPI)")

if problems:
    print("test-python-package: " + "\n  ".join(["README problems:", *problems]), file=sys.stderr)
    sys.exit(1)
print(f"  {len(blocks)} python blocks compile, {ran} ran against the mock gateway, links ok")
PYEOF
)
echo "test-python-package: README code blocks type-check (mypy --strict)"
# readme_block_<line>.py: <line> is the block's first line in README.md.
(cd "$PKG" && "$VENV/bin/mypy" --config-file pyproject.toml --cache-dir .mypy_cache \
  "$WORK"/readme/readme_block_*.py)

echo "test-python-package: API reference (pdoc) into docs/api/python"
rm -rf "$API_OUT"
# The package's public API is modelwire's __all__. modelwire.cache_key is listed by pdoc as a
# submodule only because the function cache_key shares its module's name: left out (internals).
# pdoc hides (and warns about) a default value equal to an environment variable; under pnpm,
# npm_package_name=modelwire equals Fleet.prefix's default. The npm_* variables say nothing about the API.
mapfile -t NPM_VARS < <(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/-u\n\1/p')
if ! env "${NPM_VARS[@]}" "$PY" -W error -m pdoc --docformat restructuredtext modelwire '!modelwire.cache_key' \
  -o "$API_OUT" >"$WORK/pdoc.log" 2>&1; then
  cat "$WORK/pdoc.log" >&2
  echo "test-python-package: pdoc failed (warnings are errors)" >&2
  exit 1
fi
if grep -i 'warn' "$WORK/pdoc.log" >&2; then
  echo "test-python-package: pdoc printed warnings (above)" >&2
  exit 1
fi
if [ ! -s "$API_OUT/modelwire.html" ] || ! grep -q 'id="Client.predict"' "$API_OUT/modelwire.html"; then
  echo "test-python-package: $API_OUT/modelwire.html lacks Client.predict" >&2
  exit 1
fi
echo "test-python-package: ok (API reference: docs/api/python/index.html)"
