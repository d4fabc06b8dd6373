-- Rotates public-register queries: surnames, first names, places, schools, typos.
local queries = { "jansen", "de vries", "sanne", "amsterdam", "bakker utrecht", "montessori", "vermeulen", "sercer",
  "verhoven", "kindcentrum", "dijkstra groningen", "peters", "horvat", "de regenboog", "smit", "visser rotterdam" }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/register/search?q=" .. queries[(i % #queries) + 1]:gsub(" ", "+"))
end
