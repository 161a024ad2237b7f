-- Pandoc Lua filter for tests/test_metadata.py: render every reference of the input on its own,
-- with the unchanged style: one pandoc process, but one citeproc run per reference (the reference
-- rendering the build's single batch is compared with; slower, so the build does not use it).
-- Input metadata: `lang`, `csl`, `nocite: '@*'`, and the references (CSL-JSON, `--bibliography`).
-- Output: one Div per reference, id "item-<id>", holding citeproc's entry.
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
