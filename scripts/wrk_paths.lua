-- `make bench` runs wrk with this script for a row whose requests each ask for another path:
-- wrk ... -s scripts/wrk_paths.lua URL -- FILE asks for the paths of FILE (one a line) in turn,
-- the threads taking alternate lines, and prints wrk_report.lua's JSON line at the end.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk_report.lua")

local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end

local paths = {}
local turn = 0
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  turn = id
end

request = function()
  turn = turn + 2
  return wrk.format(nil, paths[turn % #paths + 1])
end
