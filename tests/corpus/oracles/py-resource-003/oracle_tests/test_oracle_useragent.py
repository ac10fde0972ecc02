import unittest

from app.useragent import parse_user_agent, CACHE_SIZE


class OracleUserAgent(unittest.TestCase):
    def test_bounded(self):
        parse_user_agent.cache_clear()
        for i in range(CACHE_SIZE * 3):
            parse_user_agent("Mozilla/5.0 Firefox/%d" % i)
        info = parse_user_agent.cache_info()
        self.assertIsNotNone(info.maxsize)
        self.assertLessEqual(info.currsize, CACHE_SIZE)

    def test_still_caches(self):
        parse_user_agent.cache_clear()
        parse_user_agent("curl/8.0")
        parse_user_agent("curl/8.0")
        self.assertEqual(parse_user_agent.cache_info().hits, 1)

    def test_edge_before_chrome(self):
        ua = "Mozilla/5.0 (Windows NT 10.0) Chrome/120.0 Safari/537.36 Edg/120.0"
        self.assertEqual(parse_user_agent(ua)[1:3], ("edge", 120))


if __name__ == "__main__":
    unittest.main()
