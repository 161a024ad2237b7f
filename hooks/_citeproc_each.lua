-- Pandoc Lua filter for hooks/_cite.py: render every reference of the input on its own.
--
-- One pandoc process for a whole edition, but one citeproc run per reference: rendered together,
-- references with the same author and year would get APA's disambiguating "2026a", "2026b", which
-- a citation copied from one page must not carry. Input metadata: `lang`, `csl`, `nocite: '@*'`,
-- and the references (CSL-JSON, `--bibliography`). Output: one Div per reference, id "item-<id>",
-- holding citeproc's entry.
function Pandoc(doc)
  local out = {}
  for _, ref in ipairs(pandoc.utils.references(doc)) do
    local meta = pandoc.Meta({references = {ref}, nocite = doc.meta.nocite, lang = doc.meta.lang, csl = doc.meta.csl})
    local rendered = pandoc.utils.citeproc(pandoc.Pandoc({}, meta))
    local entries = {}
    rendered.blocks:walk({Div = function(div)
      if div.classes:includes("csl-entry") then entries[#entries + 1] = div end
    end})
    if #entries ~= 1 then
      error("reference " .. ref.id .. ": citeproc gave " .. #entries .. " entries")
    end
    out[#out + 1] = pandoc.Div(entries[1].content, {id = "item-" .. ref.id})
  end
  return pandoc.Pandoc(out, pandoc.Meta({}))
end
