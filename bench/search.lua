-- Rotates public-register queries: surnames, first names, places, schools, typos.
local queries = { "jansen", "de vries", "sanne", "amsterdam", "bakker utrecht", "montessori", "vermeulen", "sercer",
  "verhoven", "kindcentrum", "dijkstra groningen", "peters", "horvat", "de regenboog", "smit", "visser rotterdam" }
local i = 0
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]:gsub(" ", "+")
  return wrk.format("GET", "/api/v1/register/search?q=" .. q)
end
