-- One database per service: a service owns its data and nobody else reads its tables.
CREATE DATABASE gongzhi_meetings;
CREATE DATABASE gongzhi_matching;
CREATE DATABASE gongzhi_volunteers;
CREATE DATABASE gongzhi_contracts;
