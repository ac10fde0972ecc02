import unittest

from app.useragent import parse_user_agent, tally, CACHE_SIZE

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1"


class UserAgentTest(unittest.TestCase):
    def test_chrome(self):
        self.assertEqual(parse_user_agent(CHROME), ("desktop", "chrome", 120, "windows"))

    def test_iphone(self):
        self.assertEqual(parse_user_agent(IPHONE), ("mobile", "safari", 17, "ios"))

    def test_bot(self):
        self.assertEqual(tally(["Googlebot/2.1", "", CHROME]), {"bot/-": 1, "unknown/-": 1, "desktop/chrome": 1})

    def test_cache_is_bounded(self):
        parse_user_agent.cache_clear()
        for i in range(3000):
            parse_user_agent("client-%d" % i)
        self.assertLessEqual(parse_user_agent.cache_info().currsize, CACHE_SIZE)


if __name__ == "__main__":
    unittest.main()
