-- One read path of the load benchmark, chosen by the PATH_KIND environment variable,
-- with rotating arguments so that no single cached answer is measured.
--   home | directory | api-directory | search | entry | organization | write | mix
-- `write` posts a PD activity (multipart) as the benchmark leader: COOKIE and CSRF
-- come from the environment. `mix` rotates over all of them (one write in ten).
-- DELAY_MS > 0 makes each connection wait between requests (the soak's fixed rate).
local kind = os.getenv("PATH_KIND") or "search"
local cookie = os.getenv("COOKIE") or ""
local csrf = os.getenv("CSRF") or ""
local leader_ids = {}
for line in io.lines(os.getenv("LEADER_IDS") or "/dev/null") do leader_ids[#leader_ids + 1] = line end
local max_org = tonumber(os.getenv("MAX_ORG") or "1000")
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
local names = { "jansen", "de+vries", "sanne", "amsterdam", "bakker+utrecht", "montessori", "vermeulen",
  "sercer", "verhoven", "kindcentrum", "dijkstra+groningen", "peters", "horvat", "de+regenboog" }
local places = { "utrecht", "oslo", "ljubljana", "kindcentrum", "regenboog", "groningen", "maribor", "school" }
local boundary = "HeadwayBench"
local i = 0
local seed = 0

function setup(thread)
  seed = seed + 1
  thread:set("id", seed)
end

function init(args)
  math.randomseed(os.time() + (id or 0))
end

local function write_body(n)
  local function field(name, value)
    return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
  end
  return field("title", "Benchmark activity " .. n) .. field("kind", "formal") .. field("hours", "2")
    .. field("points", "2") .. field("started_on", "2026-11-01") .. field("completed_on", "2026-11-02")
    .. "--" .. boundary .. "--\r\n"
end

local function one(k)
  i = i + 1
  if k == "home" then
    return wrk.format("GET", "/")
  elseif k == "directory" then
    return wrk.format("GET", "/directory?q=" .. places[(i % #places) + 1])
  elseif k == "api-directory" then
    return wrk.format("GET", "/api/v1/organizations?q=" .. places[(i % #places) + 1] .. "&limit=20")
  elseif k == "search" then
    return wrk.format("GET", "/api/v1/register/search?q=" .. names[(i % #names) + 1])
  elseif k == "entry" then
    return wrk.format("GET", "/register/leaders/" .. leader_ids[math.random(1, #leader_ids)])
  elseif k == "organization" then
    return wrk.format("GET", "/organizations/" .. math.random(1, max_org))
  elseif k == "write" then
    return wrk.format("POST", "/register/me/activities", {
      ["Cookie"] = cookie, ["X-CSRF-Token"] = csrf,
      ["Content-Type"] = "multipart/form-data; boundary=" .. boundary }, write_body(i))
  end
end

local mix = { "home", "directory", "api-directory", "search", "search", "entry", "entry", "organization", "search", "write" }

request = function()
  if kind == "mix" then
    return one(mix[(i % #mix) + 1])
  end
  return one(kind)
end

if delay_ms > 0 then
  delay = function() return delay_ms end
end
