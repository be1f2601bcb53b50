-- wrk script: cycles through the paths listed in $PATHS_FILE (one per line), each thread from its
-- own offset, so the server sees many different pages instead of one.
local paths = {}
local i = 0

function init(args)
  for line in io.lines(os.getenv("PATHS_FILE")) do
    paths[#paths + 1] = line
  end
  i = math.random(#paths)
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
