"""Fill the English catalog: msgstr = msgid where empty (the msgids are English)."""

from babel.messages.pofile import read_po, write_po

path = "translations/en/LC_MESSAGES/messages.po"
with open(path, "rb") as f:
    cat = read_po(f, locale="en")
for m in cat:
    if not m.id:
        continue
    if isinstance(m.id, tuple):
        if not any(m.string):
            m.string = (m.id[0], m.id[1])
    elif not m.string:
        m.string = m.id
    m.flags.discard("fuzzy")
with open(path, "wb") as f:
    write_po(f, cat, width=100, omit_header=False)
